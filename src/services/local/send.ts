/** One request from a local stand-in (Envoy's, VPC Lattice's) to the service behind it, the answer read whole. */
import { request } from "node:http";

export type Sent = { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer } | { error: string };

/** One request, abandoned when `signal` aborts. */
export function send(target: URL, method: string, headers: Record<string, unknown>, body: Buffer, signal?: AbortSignal): Promise<Sent> {
  return new Promise((resolve) => {
    const req = request(target, { method, headers: headers as Record<string, string>, ...(signal && { signal }) }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", (e) => resolve({ error: e.message }));
    });
    req.on("error", (e) => resolve({ error: e.message }));
    req.end(body);
  });
}

/** The upstream's answer passed back as it came, but for what the hop itself sets (its length, its connection). */
export function passOn(answer: Extract<Sent, { status: number }>): [number, Record<string, string | string[] | undefined>, Buffer] {
  const { "content-length": _length, connection: _connection, ...headers } = answer.headers;
  return [answer.status, headers, answer.body];
}
