import { loadScenario, testEngine, unique } from "../../support/engine";
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
`), { durationMs: 12000 }); await new Promise((r) => setTimeout(r, 8000));
  const r = await fetch("http://127.0.0.1:15673/api/connections", { headers: { authorization: "Basic " + Buffer.from("guest:guest").toString("base64") } });
  const list = await r.json() as { name: string; client_properties?: Record<string, unknown>; user_provided_name?: string }[];
  console.log(JSON.stringify(list.map((c) => ({ name: c.name, cp: c.client_properties?.connection_name, upn: c.user_provided_name }))));
  const r2 = await fetch("http://127.0.0.1:15673/api/vhosts/%2F/connections?columns=name,vhost,client_properties", { headers: { authorization: "Basic " + Buffer.from("guest:guest").toString("base64") } });
  console.log(r2.status, (await r2.text()).slice(0, 500));
  console.log(run.id);
  await run.done();
  process.exit(0);
})();
