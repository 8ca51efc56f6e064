/**
 * A consumer group the monitor reads with (a stream's tail, a DLQ's reader) must hold only
 * members subscribed to the same topics: kafkajs' group leader assigns the partitions of its own
 * subscription to every member, so a member of another configuration that picked the same group
 * id (two monitors with a stream or DLQ of the same name on one cluster) takes partitions away,
 * or receives none of its own, and its counts silently stop. Replicas of one configuration
 * subscribe to the same topics and share a group on purpose.
 */

/** One member of a group, with the topics its subscription names (undefined: not decodable). */
export interface MemberSubscription {
  readonly memberId: string;
  readonly clientId: string;
  readonly host: string;
  readonly topics: readonly string[] | undefined;
}

/** Members whose subscription is not exactly `ours` (order and repeats aside). */
export function foreignMembers(members: readonly MemberSubscription[], ours: readonly string[]): MemberSubscription[] {
  const want = new Set(ours);
  return members.filter((m) => {
    if (m.topics === undefined) return true;
    const theirs = new Set(m.topics);
    return theirs.size !== want.size || [...theirs].some((t) => !want.has(t));
  });
}

/** The most members named in a conflict message (the rest are counted). */
const NAMED = 3;

/** One line for logs and `lastError`: the group, who else is in it, and what to change. */
export function describeSharedGroup(groupId: string, foreign: readonly MemberSubscription[], setting: string): string {
  const named = foreign
    .slice(0, NAMED)
    .map(
      (m) => `${m.clientId}@${m.host} reading ${m.topics === undefined ? 'an unknown subscription' : m.topics.length === 0 ? 'no topic' : m.topics.join(',')}`,
    );
  const more = foreign.length > NAMED ? ` and ${foreign.length - NAMED} more` : '';
  return `consumer group ${groupId} is shared with ${foreign.length === 1 ? 'a member' : `${foreign.length} members`} subscribed to other topics (${named.join('; ')}${more}): its partitions are not all read here; give this one its own group (${setting})`;
}
