import { compactString, FlexReader, uvarint } from './flexible-codec.js';
import { brokerSpeaks, type ApiVersionRanges, type OwnRequest } from './kafkajs-internals.js';

/**
 * FindCoordinator v4 (KIP-699, Kafka 3.0+): the coordinators of many groups in one request.
 * kafkajs sends v0-v3, one group per request, which made the first cycle at 5 000 groups
 * 5 000 FindCoordinator requests (docs/performance.md, "Large clusters"). Flexible version:
 * request header v2, compact strings and arrays, tagged fields.
 */
export const FIND_COORDINATOR_KEY = 10;
export const FIND_COORDINATOR_BATCH_VERSION = 4;
/** Key type 0: a consumer group (1 would be a transactional id). */
const GROUP_KEY_TYPE = 0;

/** One key's answer: the coordinator's node id, or the error code the broker gave for it. */
export type CoordinatorAnswer =
  | { readonly key: string; readonly errorCode: 0; readonly nodeId: number }
  | { readonly key: string; readonly errorCode: number; readonly errorMessage: string | null };

/**
 * Encodes the request body. The leading 0 completes the v2 request header (its empty tagged
 * fields), which kafkajs's header writer does not emit.
 */
export function encodeFindCoordinator(groupIds: readonly string[]): Buffer {
  const parts: Buffer[] = [Buffer.from([0, GROUP_KEY_TYPE]), uvarint(groupIds.length + 1)];
  for (const g of groupIds) parts.push(compactString(g));
  parts.push(Buffer.from([0]) /* tagged fields */);
  return Buffer.concat(parts);
}

/**
 * Decodes a v4 response body (after the correlation id). The host and port are not kept: the
 * node id names a broker of the metadata kafkajs already has (and connects to by its own
 * rules: TLS, SASL, advertised listeners).
 */
export function decodeFindCoordinator(buf: Buffer): CoordinatorAnswer[] {
  const r = new FlexReader(buf);
  r.taggedFields(); // response header v1
  r.int32(); // throttle time
  const answers = r.compactArray((): CoordinatorAnswer => {
    const key = r.compactString() ?? '';
    const nodeId = r.int32();
    r.compactString(); // host
    r.int32(); // port
    const errorCode = r.int16();
    const errorMessage = r.compactString();
    r.taggedFields();
    return errorCode === 0 ? { key, errorCode: 0, nodeId } : { key, errorCode, errorMessage };
  });
  r.taggedFields();
  return answers;
}

/** Whether a broker's ApiVersions range includes v4. */
export function supportsBatchedFindCoordinator(versions: ApiVersionRanges): boolean {
  return brokerSpeaks(versions, FIND_COORDINATOR_KEY, FIND_COORDINATOR_BATCH_VERSION);
}

/** The request, for `sendOwn`. */
export function findCoordinatorRequest(groupIds: readonly string[]): OwnRequest<CoordinatorAnswer[]> {
  return {
    apiKey: FIND_COORDINATOR_KEY,
    apiVersion: FIND_COORDINATOR_BATCH_VERSION,
    apiName: 'FindCoordinator',
    encode: () => encodeFindCoordinator(groupIds),
    decode: decodeFindCoordinator,
  };
}
