// A learner's RabbitMQ identity in classroom mode: a vhost `brokerlab-learner-<id>` and a user of
// the same name with a random password and every permission in that vhost and none elsewhere, made
// through the management API. The engine keeps its own (management) credentials and reaches the
// vhost with them; the management user gets full permissions in a vhost it creates.
import type { LearnerAccess } from "../learner-access";
import { withLearnerCredentials } from "../learner-access";
import { createManagementClient } from "./management";

const inVhost = (url: string, vhost: string) => {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(vhost)}`;
  return parsed.toString();
};

export const rabbitLearnerAccess: LearnerAccess<"rabbitmq"> = {
  kind: "rabbitmq",
  prefixesNames: false,
  place: (broker, learner) => ({ ...broker, url: inVhost(broker.url, learner.name) }),
  async ensure(broker, learner) {
    const management = createManagementClient({ managementUrl: broker.managementUrl, vhost: learner.name });
    await management.putVhost();
    await management.putUser(learner.name, learner.password, { configure: ".*", write: ".*", read: ".*" });
    return { ...broker, url: withLearnerCredentials(broker.url, learner) };
  },
  async remove(broker, learner) {
    const management = createManagementClient({ managementUrl: broker.managementUrl, vhost: learner.name });
    await management.deleteUser(learner.name);
    await management.deleteVhost();
  },
};
