import { loadScenario, testEngine, unique } from "../../support/engine";
import { createRabbitAdmin } from "../../../server/brokers";
void (async () => {
  const q = unique("faults-scratch");
  const run = await testEngine().start(loadScenario(`
version: 1
name: scratch
brokers: { rabbit: { kind: rabbitmq } }
resources: { rabbit: { queues: [ { name: ${q} } ] } }
services:
  - name: inventory-service
    consumers: [ { name: stock, broker: rabbit, from: { queue: ${q} } } ]
`), { durationMs: 30000 });
  const admin = createRabbitAdmin({ url: process.env.RABBITMQ_URL!, managementUrl: process.env.RABBITMQ_MANAGEMENT_URL! });
  const t = Date.now();
  console.log("closed", await admin.closeConnections(`brokerlab ${run.id} inventory-service[`, "test"), Date.now() - t);
  for (let i = 0; i < 6; i++) {
    await new Promise((r) => setTimeout(r, 2000));
    const res = await fetch(process.env.RABBITMQ_MANAGEMENT_URL!.replace("guest:guest@", "") + "/api/connections", { headers: { authorization: "Basic " + Buffer.from("guest:guest").toString("base64") } });
    console.log(i, JSON.stringify((await res.json() as { name: string; user_provided_name?: string; state?: string }[]).map((c) => [c.name, c.user_provided_name, c.state])));
  }
  console.log(JSON.stringify(await run.applyFault({ action: "closeConnection", service: "inventory-service" })));
  await admin.close();
  const r = await run.done();
  console.log(JSON.stringify(r.timeline?.filter((e) => e.kind !== "replica"), null, 0));
  process.exit(0);
})();
