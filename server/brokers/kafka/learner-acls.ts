// A learner's share of Kafka: every topic and consumer group whose name starts with the learner's
// prefix, granted to the learner's principal through PREFIXED ACLs (created on the admin
// listener, whose principal is a super user). With the StandardAuthorizer and no ACL found meaning
// "deny", the learner's client is refused everything else, another learner's topics included.
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes } from "kafkajs";
import type { Admin, AclEntry } from "kafkajs";
import { toKafkaError } from "./client";

export interface LearnerGrant {
  /** The SASL user name; the ACL principal is `User:<user>`. */
  user: string;
  /** What the learner's topic and group names start with, e.g. `learner07-`. */
  prefix: string;
}

/** ALL on the prefixed topics and groups: produce, consume, commit offsets, describe; creating and deleting topics is the engine's. */
export function learnerAclEntries({ user, prefix }: LearnerGrant): AclEntry[] {
  if (!/^[A-Za-z0-9._-]{2,100}$/.test(prefix)) throw new Error(`the learner's Kafka prefix "${prefix}" must be 2 to 100 letters, digits, '.', '_' or '-'`);
  return [AclResourceTypes.TOPIC, AclResourceTypes.GROUP].map((resourceType) => ({
    resourceType,
    resourceName: prefix,
    resourcePatternType: ResourcePatternTypes.PREFIXED,
    principal: `User:${user}`,
    host: "*",
    operation: AclOperationTypes.ALL,
    permissionType: AclPermissionTypes.ALLOW,
  }));
}

/** Creates the learner's ACLs; creating ones that exist already changes nothing, so this is safe to repeat. */
export async function grantLearnerPrefix(admin: Admin, grant: LearnerGrant, brokers: string[]): Promise<void> {
  try {
    await admin.createAcls({ acl: learnerAclEntries(grant) });
  } catch (error) {
    throw toKafkaError(error, brokers, `granting ${grant.user} the topics and groups "${grant.prefix}…"`);
  }
}

/**
 * Grants the prefix to the user, then deletes every other ACL of that user: a slot serves one
 * learner at a time, so what it was granted for an earlier learner (a server restarted before
 * releasing it) must not reach the next one. Creating first keeps a run of this learner that is
 * already using the prefix from a moment without access.
 */
export async function grantOnlyLearnerPrefix(admin: Admin, grant: LearnerGrant, brokers: string[]): Promise<void> {
  await grantLearnerPrefix(admin, grant, brokers);
  const stale = (await describeUserAcls(admin, grant.user, brokers)).filter((acl) => acl.resourceName !== grant.prefix || acl.resourcePatternType !== ResourcePatternTypes.PREFIXED);
  if (stale.length === 0) return;
  try {
    await admin.deleteAcls({ filters: stale });
  } catch (error) {
    throw toKafkaError(error, brokers, `taking back ${grant.user}'s earlier ACLs`);
  }
}

/** Deletes the learner's ACLs (none left is fine); the learner's client is refused from then on. */
export async function revokeLearnerPrefix(admin: Admin, grant: LearnerGrant, brokers: string[]): Promise<number> {
  try {
    const answer = await admin.deleteAcls({ filters: learnerAclEntries(grant) });
    return answer.filterResponses.reduce((sum, response) => sum + response.matchingAcls.length, 0);
  } catch (error) {
    throw toKafkaError(error, brokers, `revoking ${grant.user}'s topics and groups "${grant.prefix}…"`);
  }
}

/** Every ACL of `User:<user>`, whatever its resource, as the broker lists them. */
export async function describeUserAcls(admin: Admin, user: string, brokers: string[]): Promise<AclEntry[]> {
  try {
    const answer = await admin.describeAcls({
      resourceType: AclResourceTypes.ANY,
      resourcePatternType: ResourcePatternTypes.ANY,
      principal: `User:${user}`,
      operation: AclOperationTypes.ANY,
      permissionType: AclPermissionTypes.ANY,
    });
    return answer.resources.flatMap((resource) =>
      resource.acls.map((acl) => ({ ...acl, resourceType: resource.resourceType, resourceName: resource.resourceName, resourcePatternType: resource.resourcePatternType })),
    );
  } catch (error) {
    throw toKafkaError(error, brokers, `listing ${user}'s ACLs`);
  }
}
