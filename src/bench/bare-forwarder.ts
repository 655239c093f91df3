/**
 * Reference for `npm run bench:services`: the least any Node forwarder can do (read the body, POST it
 * upstream over the same undici pool, relay the answer) with no validation, headers or logs. Its throughput
 * is the ceiling data-ingestion is measured against on this machine.
 */
import { createServer } from "node:http";
import { Pool } from "undici";

const upstream = new URL(process.env.DATA_PROCESSING_URL ?? "http://127.0.0.1:3101");
const pool = new Pool(upstream.origin, { connections: 256 });
createServer(async (req, res) => {
  const chunks: Buffer[] = [];
  for await (const c of req as AsyncIterable<Buffer>) chunks.push(c);
  const answer = await pool.request({
    path: "/ev",
    method: "POST",
    headers: { "content-type": "application/json" },
    body: Buffer.concat(chunks),
  });
  const text = await answer.body.text();
  res.writeHead(answer.statusCode, { "content-type": "application/json" }).end(text);
}).listen(Number(process.env.APP_PORT ?? 3102), "127.0.0.1");
