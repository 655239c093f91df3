/** The pooled HTTP client data-ingestion forwards with: keep-alive sockets, one try at a time within a time limit. */
import { Pool } from "undici";
import type { Attempt } from "../shared/call-policy";
import type { RequestSigner } from "../shared/signing";

const TIMEOUT_CODES = new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "UND_ERR_CONNECT_TIMEOUT", "UND_ERR_ABORTED"]);

export class Upstream {
  private readonly pool: Pool;

  /** `signer`: sign every try (SigV4, under VPC Lattice), since a signature holds its date and the try's headers. */
  constructor(
    readonly url: URL,
    private readonly signer?: RequestSigner,
  ) {
    this.pool = new Pool(url.origin, { connections: 256, keepAliveTimeout: 60_000, connectTimeout: 10_000 });
  }

  /** Whether its calls are signed. */
  get signed(): boolean {
    return this.signer !== undefined;
  }

  /**
   * One POST of `payload`; no headers within `timeoutMs`, or a body stalled for as long, counts as a timeout.
   * undici's own per-request timeouts bound the try: an AbortSignal.timeout per request cost about a fifth of
   * data-ingestion's throughput (npm run bench:services). A body that trickles in after timely headers could
   * take longer; data-processing's answers are small and come with their headers.
   */
  async attempt(payload: string, headers: Record<string, string>, timeoutMs: number): Promise<Attempt> {
    try {
      const plain: Record<string, string> = { ...headers, "content-type": "application/json" };
      // The pool sends the host the signature covers (the URL's), so the signer's copy of it is left out.
      const { host: _host, ...signed } = this.signer ? await this.signer.sign("POST", this.url, plain) : plain;
      const res = await this.pool.request({
        path: this.url.pathname + this.url.search,
        method: "POST",
        headers: signed,
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
