#!/usr/bin/env -S NODE_OPTIONS="--max-semi-space-size=2 ${NODE_OPTIONS}" node
// Entry point of the `cqrs-slo` command; the TypeScript is compiled to dist/ by `npm install`.
//
// The shebang caps V8's young generation at 2 x 2 MB (V8's default lets it grow to 2 x 16 MB,
// most of the peak RSS a small cluster adds: docs/performance.md, "Runtime settings"). V8 sizes
// it when the heap is created, so it cannot be set from here. It goes in front of the user's
// NODE_OPTIONS: a later --max-semi-space-size there, or one on node's command line, wins.
// `node bin/cqrs-slo.js` skips the shebang and runs with V8's default.
import { main } from '../dist/cli.js';

await main(process.argv);
