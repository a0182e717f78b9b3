// The stack's one list: every id in lib/stack.ts has its local service module, found by its id,
// and a missing one is an error that names the file to write.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { serviceIds, type ServiceId } from "../../../lib/stack";
import { localService, localServices } from "../../../stack/services";

describe("stack services", () => {
  it("every service id has a module stack/services/<id>.ts exporting a LocalService of that name", async () => {
    for (const id of serviceIds) {
      const service = await localService(id);
      assert.equal(service.name, id);
      assert.equal(typeof service.start, "function", id);
      assert.equal(typeof service.probe, "function", id);
    }
  });

  it("loads services in the list's order, whatever order they are asked in", async () => {
    const services = await localServices(["moto", "rabbitmq"]);
    assert.deepEqual(services.map((s) => s.name), ["rabbitmq", "moto"]);
    assert.deepEqual((await localServices()).map((s) => s.name), [...serviceIds]);
  });

  it("an id without a module is an error naming the file", async () => {
    await assert.rejects(localService("nats" as ServiceId), /stack service "nats" \(lib\/stack\.ts\) has no module stack\/services\/nats\.ts/);
    await assert.rejects(localService("service" as ServiceId), /stack\/services\/service\.ts must export `service`/);
  });
});
