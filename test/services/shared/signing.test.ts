/** SigV4 as VPC Lattice's callers sign: the SDK's signer, unsigned payloads, every header of the try covered. */
import { describe, expect, it } from "vitest";
import { signerFromEnv, sigV4, verifySigV4 } from "../../../src/services/shared/signing";

const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" };
const expected = { service: "vpc-lattice-svcs", region: "eu-west-1", credentials };
const url = new URL("https://data-processing-svc-0123456789abcdef0.7d67968.vpc-lattice-svcs.eu-west-1.on.aws/ev");
const date = new Date(Date.UTC(2026, 10, 27, 12, 0, 0));
const sign = (over: Partial<typeof expected> = {}) =>
  sigV4({ ...expected, ...over, signingDate: () => date }).sign("POST", url, { "content-type": "application/json", "x-request-id": "r-1" });

describe("signing", () => {
  it("signs for vpc-lattice-svcs in the region, without hashing the body, covering the host, the date and the try's headers", async () => {
    const headers = await sign();
    expect(headers).toMatchObject({
      host: url.host,
      "x-amz-content-sha256": "UNSIGNED-PAYLOAD",
      "x-amz-date": "20261127T120000Z",
      "x-request-id": "r-1",
    });
    expect(headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20261127\/eu-west-1\/vpc-lattice-svcs\/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-request-id, Signature=[0-9a-f]{64}$/,
    );
    // A session's token is sent and signed (a task role's credentials are temporary).
    const session = await sigV4({ ...expected, credentials: { ...credentials, sessionToken: "token" }, signingDate: () => date }).sign(
      "GET",
      url,
      {},
    );
    expect(session["x-amz-security-token"]).toBe("token");
    expect(session.authorization).toContain("x-amz-security-token");
  });

  it("is checked by signing again: the same request passes, anything changed or missing fails, and why", async () => {
    const headers = await sign();
    const check = (h: Record<string, string>, over: Partial<typeof expected> = {}) =>
      verifySigV4({ method: "POST", url, headers: h }, { ...expected, ...over });
    expect(await check({ ...headers, "content-length": "42", connection: "keep-alive" })).toBeUndefined();
    expect(await check({ ...headers, "x-request-id": "r-2" })).toBe("the signature does not match the request");
    const { authorization: _, ...unsigned } = headers;
    expect(await check(unsigned)).toBe("the request is not signed (no Authorization header)");
    expect(await check(headers, { region: "us-east-1" })).toBe(
      "the request is signed for vpc-lattice-svcs in eu-west-1, not vpc-lattice-svcs in us-east-1",
    );
    expect(await check({ ...headers, "x-amz-content-sha256": "abc" })).toBe("x-amz-content-sha256 must be UNSIGNED-PAYLOAD");
    expect(await check(await sign({ credentials: { ...credentials, secretAccessKey: "another" } }))).toBe(
      "the signature does not match the request",
    );
  });

  it("signs only where meshform says so, for the service and region it names", () => {
    expect(signerFromEnv("data-processing", {})).toBeUndefined();
    expect(
      signerFromEnv("data-processing", { DATA_PROCESSING_SIGV4_SERVICE: "vpc-lattice-svcs", DATA_PROCESSING_SIGV4_REGION: "eu-west-1" }),
    ).toBeDefined();
    expect(() => signerFromEnv("data-processing", { DATA_PROCESSING_SIGV4_SERVICE: "vpc-lattice-svcs" })).toThrow(
      "DATA_PROCESSING_SIGV4_SERVICE is set, so calls to data-processing are signed: set DATA_PROCESSING_SIGV4_REGION (or AWS_REGION) too",
    );
  });
});
