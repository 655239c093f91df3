/**
 * A loopback stand-in for the few AWS APIs a plan of meshform's stacks reads, so the check runs offline:
 *   - STS GetCallerIdentity, for the `aws_caller_identity` data source, with a fixed, obviously fake account;
 *   - AWS Private CA (JSON protocol, `X-Amz-Target: ACMPrivateCA.*`), for the `aws_acmpca_certificate_authority`
 *     data source that Service Connect TLS reads to check, at plan time, that each CA is ACTIVE. Every CA is
 *     ACTIVE, except those whose id starts with `00000000-`, which are DISABLED: what a test of that check uses.
 */
import { createServer, type IncomingMessage } from "node:http";

export const STUB_ACCOUNT = "123456789012";
/** The id prefix of a Private CA the stand-in reports as DISABLED. */
export const DISABLED_CA_PREFIX = "00000000-";

const STS_ANSWER =
  '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>' +
  `<Arn>arn:aws:iam::${STUB_ACCOUNT}:user/meshform-check</Arn><UserId>AIDAMESHFORMCHECK</UserId><Account>${STUB_ACCOUNT}</Account>` +
  "</GetCallerIdentityResult><ResponseMetadata><RequestId>meshform-check</RequestId></ResponseMetadata></GetCallerIdentityResponse>";

/** AWS Private CA's answers, by operation, for the CA `arn`. */
function privateCa(operation: string, arn: string): unknown {
  const id = arn.split("/").at(-1) ?? "";
  switch (operation) {
    case "DescribeCertificateAuthority":
      return {
        CertificateAuthority: {
          Arn: arn,
          OwnerAccount: STUB_ACCOUNT,
          Status: id.startsWith(DISABLED_CA_PREFIX) ? "DISABLED" : "ACTIVE",
          Type: "ROOT",
          UsageMode: "SHORT_LIVED_CERTIFICATE",
          KeyStorageSecurityStandard: "FIPS_140_2_LEVEL_3_OR_HIGHER",
          CertificateAuthorityConfiguration: {
            KeyAlgorithm: "EC_prime256v1",
            SigningAlgorithm: "SHA256WITHECDSA",
            Subject: { CommonName: "meshform-check" },
          },
          CreatedAt: 1_700_000_000,
          NotBefore: 1_700_000_000,
          NotAfter: 2_000_000_000,
        },
      };
    case "GetCertificateAuthorityCertificate":
      return { Certificate: "-----BEGIN CERTIFICATE-----\nmeshform-check\n-----END CERTIFICATE-----" };
    case "GetCertificateAuthorityCsr":
      return { Csr: "-----BEGIN CERTIFICATE REQUEST-----\nmeshform-check\n-----END CERTIFICATE REQUEST-----" };
    case "ListTags":
      return { Tags: [] };
    default:
      return undefined;
  }
}

const body = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let text = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => {
      text += chunk;
    });
    req.on("end", () => resolve(text));
  });

export async function startAwsStub(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer(async (req, res) => {
    const text = await body(req);
    const target = req.headers["x-amz-target"];
    if (typeof target === "string" && target.startsWith("ACMPrivateCA.")) {
      const arn = (JSON.parse(text || "{}") as { CertificateAuthorityArn?: string }).CertificateAuthorityArn ?? "";
      const answer = privateCa(target.slice("ACMPrivateCA.".length), arn);
      if (answer === undefined)
        res.writeHead(400, { "content-type": "application/x-amz-json-1.1" }).end('{"__type":"InvalidRequestException"}');
      else res.writeHead(200, { "content-type": "application/x-amz-json-1.1" }).end(JSON.stringify(answer));
      return;
    }
    res.writeHead(200, { "content-type": "text/xml" }).end(STS_ANSWER);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
