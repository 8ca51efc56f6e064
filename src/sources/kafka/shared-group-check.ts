import { AssignerProtocol, type Admin } from 'kafkajs';
import { describeSharedGroup, foreignMembers, type MemberSubscription } from '../../core/kafka/shared-group.js';

/** The subscription a member's metadata names, or undefined when it does not decode as a consumer's. */
function subscribedTopics(metadata: Buffer): string[] | undefined {
  try {
    return AssignerProtocol.MemberMetadata.decode(metadata)?.topics;
  } catch {
    return undefined;
  }
}

/**
 * Reads the group's members (DescribeGroups) and returns the conflict message when one of them
 * is subscribed to other topics than `topics` (see core/kafka/shared-group.ts), else undefined.
 * `setting` names the configuration key that gives the reader its own group.
 */
export async function sharedGroupConflict(admin: Admin, groupId: string, topics: readonly string[], setting: string): Promise<string | undefined> {
  const { groups } = await admin.describeGroups([groupId]);
  const members: MemberSubscription[] = (groups[0]?.members ?? []).map((m) => ({
    memberId: m.memberId,
    clientId: m.clientId,
    host: m.clientHost,
    topics: subscribedTopics(m.memberMetadata),
  }));
  const foreign = foreignMembers(members, topics);
  return foreign.length > 0 ? describeSharedGroup(groupId, foreign, setting) : undefined;
}
