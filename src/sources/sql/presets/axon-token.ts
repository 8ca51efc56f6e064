/** What a tracking token tells about a segment's progress. */
export interface DecodedToken {
  /** Last processed global index; -1 when nothing has been processed. */
  readonly position: number;
  /** True for a ReplayToken (a reset/replay is running). */
  readonly replaying: boolean;
}

/** Thrown for a token this decoder does not understand; becomes the projection's ERROR status. */
export class TokenDecodeError extends Error {
  override readonly name = 'TokenDecodeError';
}

const NONE: DecodedToken = { position: -1, replaying: false };

function fromJson(v: unknown): DecodedToken {
  if (v === null || v === undefined) return NONE;
  if (typeof v !== 'object') throw new TokenDecodeError(`unexpected token value ${JSON.stringify(v)}`);
  const o = v as Record<string, unknown>;
  if ('currentToken' in o || 'tokenAtReset' in o) {
    // ReplayToken: progress is the token being replayed; absent means the replay just started.
    return { position: fromJson(o.currentToken).position, replaying: true };
  }
  if ('lowerSegmentToken' in o || 'upperSegmentToken' in o) {
    // MergedTrackingToken during a segment merge: the slower half is the checkpoint.
    const a = fromJson(o.lowerSegmentToken);
    const b = fromJson(o.upperSegmentToken);
    return { position: Math.min(a.position, b.position), replaying: a.replaying || b.replaying };
  }
  if ('index' in o) return { position: Number(o.index), replaying: false }; // GapAwareTrackingToken
  if ('globalIndex' in o) return { position: Number(o.globalIndex), replaying: false }; // GlobalSequenceTrackingToken
  throw new TokenDecodeError(`unknown token fields ${Object.keys(o).slice(0, 5).join(',')}`);
}

/** The inner XML of the first `<tag ...>...</tag>` (XStream output has no nested same-name tags here). */
function xmlSection(xml: string, tag: string): string | undefined {
  const m = new RegExp(`<${tag}(\\s[^>]*)?>([\\s\\S]*?)</${tag}>`).exec(xml);
  return m ? m[2] : undefined;
}

function xmlIndex(xml: string): number {
  const m = /<(index|globalIndex)>(-?\d+)<\/\1>/.exec(xml);
  return m ? Number(m[2]) : -1;
}

function fromXml(xml: string): DecodedToken {
  if (/ReplayToken/.test(xml.slice(0, 200)) || xml.includes('<tokenAtReset')) {
    const cur = xmlSection(xml, 'currentToken');
    return { position: cur === undefined ? -1 : xmlIndex(cur), replaying: true };
  }
  const lower = xmlSection(xml, 'lowerSegmentToken');
  const upper = xmlSection(xml, 'upperSegmentToken');
  if (lower !== undefined || upper !== undefined) {
    return { position: Math.min(lower ? xmlIndex(lower) : -1, upper ? xmlIndex(upper) : -1), replaying: false };
  }
  if (!/<(index|globalIndex)>/.test(xml)) throw new TokenDecodeError('no <index> or <globalIndex> in XML token');
  return { position: xmlIndex(xml), replaying: false };
}

/**
 * Decodes an Axon tracking token as stored in `token_entry.token` by the XStream (XML, the
 * default) or Jackson (JSON) serializer: GlobalSequenceTrackingToken{globalIndex},
 * GapAwareTrackingToken{index,gaps}, ReplayToken{tokenAtReset,currentToken} and
 * MergedTrackingToken{lowerSegmentToken,upperSegmentToken}. A null token means the segment has
 * not processed anything. Java-serialized tokens are not supported (they throw).
 */
export function decodeAxonToken(token: Buffer | string | null | undefined, tokenType?: string | null): DecodedToken {
  if (token === null || token === undefined) return NONE;
  const text = (typeof token === 'string' ? token : token.toString('utf8')).trim();
  if (text === '' || text === 'null') return NONE;
  if (text.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new TokenDecodeError('token is not valid JSON');
    }
    const d = fromJson(parsed);
    return tokenType && /ReplayToken$/.test(tokenType) ? { ...d, replaying: true } : d;
  }
  if (text.startsWith('<')) return fromXml(text);
  throw new TokenDecodeError(`unsupported token encoding (type ${tokenType ?? 'unknown'})`);
}
