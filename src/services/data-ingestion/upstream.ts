/** The pooled HTTP client data-ingestion forwards with: keep-alive sockets, a timeout, no new TCP per request. */
import { Pool } from "undici";

export interface UpstreamResponse {
  status: number;
  /** The response body as text (data-processing answers JSON). */
  text: string;
}

/** Network failures: the peer is gone (502) or too slow (504). */
export class UpstreamError extends Error {
  constructor(
    readonly status: 502 | 504,
    message: string,
  ) {
    super(message);
  }
}

const TIMEOUT_CODES = new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "UND_ERR_CONNECT_TIMEOUT"]);

export class Upstream {
  private readonly pool: Pool;

  constructor(
    readonly url: URL,
    private readonly timeoutMs: number,
  ) {
    this.pool = new Pool(url.origin, {
      connections: 256,
      keepAliveTimeout: 60_000,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      connectTimeout: Math.min(timeoutMs, 10_000),
    });
  }

  async post(payload: string, headers: Record<string, string>): Promise<UpstreamResponse> {
    try {
      const res = await this.pool.request({
        path: this.url.pathname + this.url.search,
        method: "POST",
        headers: { ...headers, "content-type": "application/json" },
        body: payload,
      });
      return { status: res.statusCode, text: await res.body.text() };
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (e.code && TIMEOUT_CODES.has(e.code)) throw new UpstreamError(504, `no answer within ${this.timeoutMs} ms`);
      const cause = (e.cause as NodeJS.ErrnoException | undefined)?.code;
      throw new UpstreamError(502, `unreachable (${e.code === "UND_ERR_SOCKET" ? "connection reset" : (e.code ?? cause ?? e.message)})`);
    }
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
