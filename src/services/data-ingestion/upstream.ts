/** The pooled HTTP client data-ingestion forwards with: keep-alive sockets, one try at a time within a time limit. */
import { Pool } from "undici";
import type { Attempt } from "../shared/call-policy";

const TIMEOUT_CODES = new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "UND_ERR_CONNECT_TIMEOUT", "UND_ERR_ABORTED"]);

export class Upstream {
  private readonly pool: Pool;

  constructor(readonly url: URL) {
    this.pool = new Pool(url.origin, { connections: 256, keepAliveTimeout: 60_000, connectTimeout: 10_000 });
  }

  /** One POST of `payload`, with no answer after `timeoutMs` counting as a timeout. */
  async attempt(payload: string, headers: Record<string, string>, timeoutMs: number): Promise<Attempt> {
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const res = await this.pool.request({
        path: this.url.pathname + this.url.search,
        method: "POST",
        headers: { ...headers, "content-type": "application/json" },
        body: payload,
        signal,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      return { kind: "answer", status: res.statusCode, headers: res.headers, text: await res.body.text() };
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (signal.aborted || (e.code && TIMEOUT_CODES.has(e.code)) || e.name === "TimeoutError") return { kind: "timeout" };
      const cause = (e.cause as NodeJS.ErrnoException | undefined)?.code;
      return { kind: "connection", code: e.code === "UND_ERR_SOCKET" ? "ECONNRESET" : (cause ?? e.code ?? e.message) };
    }
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
