/** The pooled HTTP client data-ingestion forwards with: keep-alive sockets, one try at a time within a time limit. */
import { Pool } from "undici";
import type { Attempt } from "../shared/call-policy";

const TIMEOUT_CODES = new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "UND_ERR_CONNECT_TIMEOUT", "UND_ERR_ABORTED"]);

export class Upstream {
  private readonly pool: Pool;

  constructor(readonly url: URL) {
    this.pool = new Pool(url.origin, { connections: 256, keepAliveTimeout: 60_000, connectTimeout: 10_000 });
  }

  /**
   * One POST of `payload`; no headers within `timeoutMs`, or a body stalled for as long, counts as a timeout.
   * undici's own per-request timeouts bound the try: an AbortSignal.timeout per request cost about a fifth of
   * data-ingestion's throughput (npm run bench:services). A body that trickles in after timely headers could
   * take longer; data-processing's answers are small and come with their headers.
   */
  async attempt(payload: string, headers: Record<string, string>, timeoutMs: number): Promise<Attempt> {
    try {
      const res = await this.pool.request({
        path: this.url.pathname + this.url.search,
        method: "POST",
        headers: { ...headers, "content-type": "application/json" },
        body: payload,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      return { kind: "answer", status: res.statusCode, headers: res.headers, text: await res.body.text() };
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (e.code && TIMEOUT_CODES.has(e.code)) return { kind: "timeout" };
      const cause = (e.cause as NodeJS.ErrnoException | undefined)?.code;
      return { kind: "connection", code: e.code === "UND_ERR_SOCKET" ? "ECONNRESET" : (cause ?? e.code ?? e.message) };
    }
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
