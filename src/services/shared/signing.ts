/**
 * Signing a call with SigV4, as VPC Lattice requires of its callers when the service network or service says
 * AWS_IAM: the AWS SDK's signer (@smithy/signature-v4) with the task role's credentials (the SDK's default chain:
 * in an ECS task, the container credentials endpoint). "VPC Lattice does not support payload signing. You must send
 * an x-amz-content-sha256 header with the value set to UNSIGNED-PAYLOAD" (VPC Lattice user guide,
 * sigv4-authenticated-requests.html), so the body is never hashed. Each try is signed afresh (its date, its
 * x-attempt-count). Whether to sign, for which service and region, comes from the variables meshform sets
 * (src/config/app-environment.ts, signingVariables).
 */
import { createHash, createHmac, type Hash, type Hmac } from "node:crypto";
import { defaultProvider } from "@aws-sdk/credential-provider-node";
import { SignatureV4 } from "@smithy/signature-v4";
import { signingVariables } from "../../config/app-environment";

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Adds the signature's headers to a request's. */
export interface RequestSigner {
  sign(method: string, url: URL, headers: Record<string, string>): Promise<Record<string, string>>;
}

export const UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";

type SourceData = string | ArrayBuffer | ArrayBufferView;
const bytes = (data: SourceData): string | Buffer =>
  typeof data === "string"
    ? data
    : ArrayBuffer.isView(data)
      ? Buffer.from(data.buffer, data.byteOffset, data.byteLength)
      : Buffer.from(data);

/** SHA-256, or HMAC-SHA-256 with a secret, on node:crypto, in the shape the signer takes (the SDK's Hash does the same). */
class Sha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash("sha256") : createHmac("sha256", bytes(secret));
  }
  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

/** The request as the signer reads it: the URL's parts, the headers as sent (host included). */
function httpRequest(method: string, url: URL, headers: Record<string, string>) {
  return {
    method,
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port && { port: Number(url.port) }),
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: { ...headers, host: url.host, "x-amz-content-sha256": UNSIGNED_PAYLOAD },
  };
}

export function sigV4(options: {
  service: string;
  region: string;
  credentials: Credentials | (() => Promise<Credentials>);
  /** When the request is signed (for tests that check a signature): now by default. */
  signingDate?: () => Date;
}): RequestSigner & { signer: SignatureV4 } {
  const signer = new SignatureV4({ service: options.service, region: options.region, credentials: options.credentials, sha256: Sha256 });
  return {
    signer,
    async sign(method, url, headers) {
      const signed = await signer.sign(httpRequest(method, url, headers), {
        ...(options.signingDate && { signingDate: options.signingDate() }),
      });
      return signed.headers as Record<string, string>;
    },
  };
}

/** The signer the environment asks for calls to `backend`, or undefined when its calls are not signed. */
export function signerFromEnv(backend: string, env: NodeJS.ProcessEnv = process.env): RequestSigner | undefined {
  const v = signingVariables(backend);
  const service = env[v.service];
  if (!service) return undefined;
  const region = env[v.region] ?? env.AWS_REGION;
  if (!region) throw new Error(`${v.service} is set, so calls to ${backend} are signed: set ${v.region} (or AWS_REGION) too`);
  return sigV4({ service, region, credentials: defaultProvider() });
}

/**
 * Checks a request's SigV4 signature by signing it again with the same credentials, date and signed headers, as a
 * stand-in for VPC Lattice's authorization (src/services/local/lattice-stand-in.ts). Why a request fails, or
 * undefined when it passes.
 */
export async function verifySigV4(
  request: { method: string; url: URL; headers: Record<string, string | string[] | undefined> },
  expected: { service: string; region: string; credentials: Credentials },
): Promise<string | undefined> {
  const h = (name: string) => {
    const v = request.headers[name];
    return Array.isArray(v) ? v.join(",") : v;
  };
  const authorization = h("authorization");
  if (!authorization) return "the request is not signed (no Authorization header)";
  const parts =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=[0-9a-f]{64}$/.exec(
      authorization,
    );
  if (!parts) return "the Authorization header is not a SigV4 signature";
  const [, key, , region, service, signedHeaders] = parts;
  if (key !== expected.credentials.accessKeyId) return `the request is signed with another key (${key})`;
  if (service !== expected.service || region !== expected.region)
    return `the request is signed for ${service} in ${region}, not ${expected.service} in ${expected.region}`;
  if (h("x-amz-content-sha256") !== UNSIGNED_PAYLOAD) return `x-amz-content-sha256 must be ${UNSIGNED_PAYLOAD}`;
  const amzDate = h("x-amz-date");
  const date = amzDate && /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!date) return "the request has no x-amz-date";
  const signingDate = new Date(Date.UTC(+date[1]!, +date[2]! - 1, +date[3]!, +date[4]!, +date[5]!, +date[6]!));
  // Only the headers the caller signed, as it sent them (host is added by httpRequest, as the caller's was).
  const headers = Object.fromEntries(
    signedHeaders!
      .split(";")
      .filter((n) => !["host", "x-amz-date", "x-amz-content-sha256"].includes(n))
      .map((n) => [n, h(n) ?? ""]),
  );
  const url = new URL(request.url);
  url.host = h("host") ?? url.host;
  const again = await sigV4({ ...expected, signingDate: () => signingDate }).sign(request.method, url, headers);
  return again.authorization === authorization ? undefined : "the signature does not match the request";
}
