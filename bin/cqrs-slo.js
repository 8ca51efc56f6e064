#!/usr/bin/env node
// Entry point of the `cqrs-slo` command; the TypeScript is compiled to dist/ by `npm install`.
import { main } from '../dist/cli.js';

await main(process.argv);
