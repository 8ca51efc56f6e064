import { describe, expect, it } from 'vitest';
import { describeSharedGroup, foreignMembers, type MemberSubscription } from '../../../../src/core/kafka/shared-group.js';

const member = (memberId: string, topics: string[] | undefined, clientId = 'cqrs-slo', host = '/10.0.0.1'): MemberSubscription => ({
  memberId,
  clientId,
  host,
  topics,
});

describe('foreignMembers', () => {
  it('keeps out members subscribed to the same topics, in any order and with repeats', () => {
    expect(foreignMembers([member('a', ['x', 'y']), member('b', ['y', 'x', 'x'])], ['x', 'y'])).toEqual([]);
  });

  it('names a member subscribed to other topics, fewer topics, more topics, none, or an unreadable subscription', () => {
    const other = member('b', ['z']);
    const fewer = member('c', ['x']);
    const more = member('d', ['x', 'y', 'z']);
    const none = member('e', []);
    const unknown = member('f', undefined);
    expect(foreignMembers([member('a', ['x', 'y']), other, fewer, more, none, unknown], ['x', 'y'])).toEqual([other, fewer, more, none, unknown]);
  });
});

describe('describeSharedGroup', () => {
  it('names the group, up to three members with their topics, the count of the rest, and the setting to change', () => {
    const one = describeSharedGroup('cqrs-slo-dlq.orders-dlt', [member('b', ['payments.DLT'], 'other-monitor', '/10.0.0.9')], 'readerGroup');
    expect(one).toBe(
      'consumer group cqrs-slo-dlq.orders-dlt is shared with a member subscribed to other topics (other-monitor@/10.0.0.9 reading payments.DLT): its partitions are not all read here; give this one its own group (readerGroup)',
    );
    const five = describeSharedGroup(
      'g',
      [member('1', ['a', 'b']), member('2', []), member('3', undefined), member('4', ['c']), member('5', ['d'])],
      'groupId',
    );
    expect(five).toContain('shared with 5 members');
    expect(five).toContain(
      'cqrs-slo@/10.0.0.1 reading a,b; cqrs-slo@/10.0.0.1 reading no topic; cqrs-slo@/10.0.0.1 reading an unknown subscription and 2 more',
    );
  });
});
