import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createProcessingApp } from "../../../src/services/data-processing/app";
import { FaultInjector } from "../../../src/services/data-processing/faults";
import { ProcessedIds } from "../../../src/services/data-processing/processed-ids";
import { collectLogs, post, READING, start, tempDir } from "../helpers";

describe("data-processing over HTTP", () => {
  it("processes a reading: 200 with anomalies and the vehicle's aggregate", async () => {
    const url = await start(createProcessingApp({ log: () => {} }));
    const res = await post(`${url}/ev`, { ...READING, speed: 350 }, { "x-request-id": "abc" });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toBe("abc");
    expect(res.body).toMatchObject({
      request_id: "abc",
      vehicle_id: "EV-001",
      anomalies: ["speed 350 km/h above 300"],
      aggregate: { readings: 1 },
    });
  });

  it("answers 400 naming each bad field", async () => {
    const url = await start(createProcessingApp({ log: () => {} }));
    const res = await post(`${url}/ev`, { ...READING, battery: { ...READING.battery, percentage: 120 } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: "invalid telemetry", problems: [{ field: "battery.percentage", message: expect.any(String) }] });
  });

  it("injects 503 on x-503 and logs it as a fault", async () => {
    const { lines, log } = collectLogs();
    const url = await start(createProcessingApp({ log }));
    const res = await post(`${url}/ev`, READING, { "x-503": "true" });
    expect(res).toMatchObject({ status: 503, body: { error: "Service Unavailable: fault injected" } });
    expect(lines[0]).toMatchObject({ status: 503, fault: "x-503" });
  });

  it("recovers after N injected failures of the same request id", async () => {
    const url = await start(createProcessingApp({ log: () => {} }));
    const headers = { "x-503": "2", "x-request-id": "retry-me" };
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await post(`${url}/ev`, READING, headers)).status);
    expect(statuses).toEqual([503, 503, 200]);
  });

  it("fails every request at FAULT_503_RATE=1", async () => {
    const url = await start(createProcessingApp({ log: () => {}, faults: new FaultInjector(1) }));
    expect((await post(`${url}/ev`)).status).toBe(503);
  });
});

describe("data-processing accounting", () => {
  it("counts distinct request ids in GET /stats, answering a repeat without processing it again", async () => {
    const url = await start(createProcessingApp({ log: () => {} }));
    const first = await post(`${url}/ev`, READING, { "x-request-id": "r-1" });
    const again = await post(`${url}/ev`, READING, { "x-request-id": "r-1" });
    await post(`${url}/ev`, READING, { "x-request-id": "r-2" });
    expect(first.body.aggregate.readings).toBe(1);
    expect(again).toMatchObject({ status: 200, body: { request_id: "r-1", duplicate: true } });
    const stats = await (await fetch(`${url}/stats`)).json();
    expect(stats).toEqual({ processed: 2, duplicates: 1, vehicles: 1 });
  });

  it("remembers processed ids across a restart when it keeps a log", async () => {
    const log = join(tempDir("processed"), "processed.log");
    const before = await start(createProcessingApp({ log: () => {}, processed: new ProcessedIds(log) }));
    await post(`${before}/ev`, READING, { "x-request-id": "r-1" });
    const after = await start(createProcessingApp({ log: () => {}, processed: new ProcessedIds(log) }));
    expect((await post(`${after}/ev`, READING, { "x-request-id": "r-1" })).body.duplicate).toBe(true);
    await post(`${after}/ev`, READING, { "x-request-id": "r-3" });
    expect(await (await fetch(`${after}/stats`)).json()).toMatchObject({ processed: 2, duplicates: 1 });
  });
});
