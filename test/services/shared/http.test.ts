/** The behaviour every service shares: status codes for bad requests and the per-request log line. */
import { request } from "node:http";
import { describe, expect, it } from "vitest";
import { createProcessingApp } from "../../../src/services/data-processing/app";
import { MAX_BODY_BYTES } from "../../../src/services/shared/http";
import { collectLogs, post, READING, start } from "../helpers";

describe("shared HTTP behaviour", () => {
  it("answers the health check with 200 and a small JSON body", async () => {
    const url = await start(createProcessingApp({ log: () => {} }));
    const res = await fetch(`${url}/health-check`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", service: "data-processing" });
  });

  it("answers 404 for an unknown route and 405 with Allow for a wrong method", async () => {
    const url = await start(createProcessingApp({ log: () => {} }));
    expect((await fetch(`${url}/nope`)).status).toBe(404);
    const res = await fetch(`${url}/ev`);
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST");
    expect((await fetch(`${url}/health-check`, { method: "POST" })).status).toBe(405);
  });

  it("answers 415 for a body that is not JSON by content type", async () => {
    const url = await start(createProcessingApp({ log: () => {} }));
    const res = await fetch(`${url}/ev`, { method: "POST", headers: { "content-type": "text/plain" }, body: "hi" });
    expect(res.status).toBe(415);
    expect(await res.json()).toEqual({ error: "content-type must be application/json" });
  });

  it("answers 413 for a body over the limit, and 400 for broken JSON", async () => {
    const url = await start(createProcessingApp({ log: () => {} }));
    const big = JSON.stringify({ ...READING, vehicle_id: "x".repeat(MAX_BODY_BYTES) });
    expect((await post(`${url}/ev`, big)).status).toBe(413);
    expect(await post(`${url}/ev`, "{not json")).toMatchObject({ status: 400, body: { error: "body is not valid JSON" } });
  });

  it("answers 413 when a chunked body without a length outgrows the limit", async () => {
    const url = new URL(await start(createProcessingApp({ log: () => {} })));
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        { host: url.hostname, port: url.port, path: "/ev", method: "POST", headers: { "content-type": "application/json" } },
        (res) => {
          res.resume();
          resolve(res.statusCode!);
        },
      );
      req.on("error", reject);
      for (let i = 0; i < 20; i++) req.write(Buffer.alloc(8 * 1024, 0x20));
      req.end();
    });
    expect(status).toBe(413);
  });

  it("writes one structured log line per request with method, path, status, duration and request id", async () => {
    const { lines, log } = collectLogs();
    const url = await start(createProcessingApp({ log }));
    await post(`${url}/ev`, READING, { "x-request-id": "req-1" });
    expect(lines).toEqual([{ method: "POST", path: "/ev", status: 200, durationMs: expect.any(Number), requestId: "req-1" }]);
  });
});
