// A learner's Redis identity in classroom mode: an ACL user `brokerlab-learner-<id>` that may use
// only keys and channels under the learner's prefix, and only the commands Brokerlab's producers
// and consumers send (streams, Pub/Sub, and the connection's own AUTH, HELLO, CLIENT SETNAME, PING).
// Everything else (another learner's keys, KEYS, FLUSHALL, CLIENT KILL, ACL) answers NOPERM.
import type { LearnerAccess } from "../learner-access";
import { withLearnerCredentials } from "../learner-access";
import { connectRedis, createRedisConnection, toRedisError } from "./connection";

// PSUBSCRIBE checks a pattern literally against the allowed ones: each pattern a run subscribes
// to is allowed as written (it starts with the prefix: lib/scenario/learner-prefix.ts).
const commands = ["+@stream", "+@pubsub", "-pubsub", "+ping", "+auth", "+hello", "+quit", "+reset", "+client|setname", "+client|id", "+select", "+multi", "+exec", "+discard"];

async function acl(url: string, args: string[], what: string): Promise<void> {
  const client = await connectRedis(createRedisConnection({ url, name: "brokerlab-classroom" }), url);
  try {
    await client.sendCommand(["ACL", ...args]);
  } catch (error) {
    throw toRedisError(error, url, what);
  } finally {
    client.destroy();
  }
}

export const redisLearnerAccess: LearnerAccess<"redis"> = {
  kind: "redis",
  prefixesNames: true,
  async ensure(broker, learner, run) {
    const patterns = run.scenario.services.flatMap((s) => s.consumers).flatMap((c) => (c.broker === run.broker && "channelPattern" in c.from && c.from.channelPattern.startsWith(learner.prefix) ? [`&${c.from.channelPattern}`] : []));
    // Additive (no `reset`): revoking a channel pattern would disconnect the learner's other run
    // subscribed to it. `resetpass`: only this server's password is valid.
    await acl(broker.url, ["SETUSER", learner.name, "on", "resetpass", `>${learner.password}`, `~${learner.prefix}*`, `&${learner.prefix}*`, ...patterns, ...commands], `make the Redis ACL user ${learner.name}`);
    // node-redis names its library with CLIENT SETINFO, which Redis before 7.2 does not know.
    await acl(broker.url, ["SETUSER", learner.name, "+client|setinfo"], "allow CLIENT SETINFO").catch((error: Error) => {
      if (!/Unknown command/i.test(error.message)) throw error;
    });
    return { ...broker, url: withLearnerCredentials(broker.url, learner) };
  },
  remove: (broker, learner) => acl(broker.url, ["DELUSER", learner.name], `delete the Redis ACL user ${learner.name}`),
};
