import { describe, expect, it } from 'vitest';
import { decodeAxonToken, TokenDecodeError } from '../../../../src/sources/sql/presets/index.js';

describe('decodeAxonToken', () => {
  it('null / empty token: nothing processed (-1)', () => {
    expect(decodeAxonToken(null)).toEqual({ position: -1, replaying: false });
    expect(decodeAxonToken(Buffer.from(''))).toEqual({ position: -1, replaying: false });
  });

  it('XStream XML: GapAwareTrackingToken index, GlobalSequenceTrackingToken globalIndex', () => {
    expect(
      decodeAxonToken(
        '<org.axonframework.eventhandling.GapAwareTrackingToken><index>42</index><gaps><long>40</long></gaps></org.axonframework.eventhandling.GapAwareTrackingToken>',
      ),
    ).toEqual({ position: 42, replaying: false });
    expect(
      decodeAxonToken(
        Buffer.from(
          '<org.axonframework.eventhandling.GlobalSequenceTrackingToken><globalIndex>7</globalIndex></org.axonframework.eventhandling.GlobalSequenceTrackingToken>',
        ),
      ),
    ).toEqual({ position: 7, replaying: false });
  });

  it('XML ReplayToken: progress is currentToken, not tokenAtReset', () => {
    const xml =
      '<org.axonframework.eventhandling.ReplayToken><tokenAtReset class="org.axonframework.eventhandling.GapAwareTrackingToken"><index>900</index><gaps/></tokenAtReset>' +
      '<currentToken class="org.axonframework.eventhandling.GapAwareTrackingToken"><index>12</index><gaps/></currentToken></org.axonframework.eventhandling.ReplayToken>';
    expect(decodeAxonToken(xml)).toEqual({ position: 12, replaying: true });
    const justStarted =
      '<org.axonframework.eventhandling.ReplayToken><tokenAtReset class="x"><index>900</index></tokenAtReset></org.axonframework.eventhandling.ReplayToken>';
    expect(decodeAxonToken(justStarted)).toEqual({ position: -1, replaying: true });
  });

  it('XML MergedTrackingToken: the slower half', () => {
    const xml =
      '<org.axonframework.eventhandling.MergedTrackingToken><lowerSegmentToken class="a"><index>30</index></lowerSegmentToken><upperSegmentToken class="a"><index>25</index></upperSegmentToken></org.axonframework.eventhandling.MergedTrackingToken>';
    expect(decodeAxonToken(xml)).toEqual({ position: 25, replaying: false });
  });

  it('Jackson JSON tokens', () => {
    expect(decodeAxonToken('{"index":40,"gaps":[38]}')).toEqual({ position: 40, replaying: false });
    expect(decodeAxonToken('{"globalIndex":3}')).toEqual({ position: 3, replaying: false });
    expect(decodeAxonToken('{"tokenAtReset":{"index":99,"gaps":[]},"currentToken":{"index":5,"gaps":[]},"context":null}')).toEqual({
      position: 5,
      replaying: true,
    });
    expect(decodeAxonToken('{"lowerSegmentToken":{"index":8},"upperSegmentToken":{"index":9}}')).toEqual({ position: 8, replaying: false });
  });

  it('Java-serialized or unknown tokens throw a typed error', () => {
    expect(() => decodeAxonToken(Buffer.from([0xac, 0xed, 0x00, 0x05]), 'org.axonframework.eventhandling.GapAwareTrackingToken')).toThrow(TokenDecodeError);
    expect(() => decodeAxonToken('{"foo":1}')).toThrow(/unknown token fields foo/);
  });
});
