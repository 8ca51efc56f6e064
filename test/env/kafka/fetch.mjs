// Resolves the runtime jars of a Kafka broker version from Maven Central into a cache directory
// shared between runs: `mvn dependency:copy-dependencies` on the pinned pom next to this file.
// Plain JavaScript so that CI can pre-fetch with `node test/env/kafka-fetch.mjs` before any
// TypeScript tooling runs; test/env/kafka.ts imports it too (types in fetch.d.mts).
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// This folder; from the working directory when bundled elsewhere (`npm run bench` runs a bundle from a temp dir).
const OWN = dirname(fileURLToPath(import.meta.url));
const HERE = existsSync(join(OWN, 'pom-4.1.1.xml')) ? OWN : join(process.cwd(), 'test', 'env', 'kafka');

/** Broker versions with a pinned pom in this folder. */
export const SUPPORTED_KAFKA_VERSIONS = ['3.9.1', '4.1.1'];

/** The pom that pins a version's classpath. */
export function pomFor(version) {
  const pom = join(HERE, `pom-${version}.xml`);
  if (!existsSync(pom)) {
    throw new Error(`Kafka ${version} is not supported by the test environment (supported: ${SUPPORTED_KAFKA_VERSIONS.join(', ')}; no ${pom})`);
  }
  return pom;
}

/** `$CQRS_KAFKA_CACHE` or `$XDG_CACHE_HOME/cqrs-slo` or `~/.cache/cqrs-slo`. */
export function cacheRoot() {
  if (process.env.CQRS_KAFKA_CACHE) return process.env.CQRS_KAFKA_CACHE;
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'cqrs-slo');
}

function run(cmd, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out = (out + d).slice(-8000)));
    child.stderr.on('data', (d) => (out = (out + d).slice(-8000)));
    child.on('error', (err) => reject(new Error(`${cmd} could not run (${err.message}); install Maven (Debian: maven)`, { cause: err })));
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}:\n${out}`))));
  });
}

/**
 * Returns the directory holding every jar the broker needs (`java -cp '<dir>/*'`), resolving
 * it first when missing or when the pom changed. A marker file holds the pom's hash; the
 * directory is filled under a temporary name and renamed, so concurrent runs never see half a
 * classpath.
 */
export async function fetchKafkaJars(version) {
  const pom = pomFor(version);
  const hash = createHash('sha256').update(readFileSync(pom)).digest('hex').slice(0, 16);
  const dir = join(cacheRoot(), `kafka-${version}`);
  const marker = join(dir, '.pom-sha256');
  if (existsSync(marker) && readFileSync(marker, 'utf8').trim() === hash) return dir;

  await mkdir(cacheRoot(), { recursive: true });
  const tmp = `${dir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await run('mvn', ['-q', '-B', '-f', pom, 'dependency:copy-dependencies', `-DoutputDirectory=${tmp}`, '-DincludeScope=runtime']);
    const jars = (await readdir(tmp)).filter((f) => f.endsWith('.jar'));
    if (!jars.some((j) => j.startsWith(`kafka_2.13-${version}`))) throw new Error(`Maven resolved no kafka_2.13-${version} jar into ${tmp}`);
    await writeFile(join(tmp, '.pom-sha256'), `${hash}\n`);
    await rm(dir, { recursive: true, force: true });
    try {
      await rename(tmp, dir);
    } catch (err) {
      // Another run renamed its copy first; theirs is as good as ours.
      if (!(existsSync(marker) && readFileSync(marker, 'utf8').trim() === hash)) throw err;
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  return dir;
}
