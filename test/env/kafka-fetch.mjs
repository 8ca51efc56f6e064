#!/usr/bin/env node
// Pre-fetches the Kafka broker jars of every supported version (or those given as arguments)
// into the cache, so that test runs start brokers without touching the network.
//   node test/env/kafka-fetch.mjs [version...]
import { SUPPORTED_KAFKA_VERSIONS, fetchKafkaJars } from './kafka/fetch.mjs';

const versions = process.argv.length > 2 ? process.argv.slice(2) : SUPPORTED_KAFKA_VERSIONS;
let failed = false;
for (const v of versions) {
  try {
    const t0 = Date.now();
    const dir = await fetchKafkaJars(v);
    console.log(`[kafka] ${v}: ${dir} (${Date.now() - t0} ms)`);
  } catch (err) {
    failed = true;
    console.error(`[kafka] ${v}: ${err.message}`);
  }
}
process.exit(failed ? 1 : 0);
