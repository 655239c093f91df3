/**
 * A loopback stand-in for the few AWS APIs a plan of meshform's stacks reads, so the check runs offline:
 *   - STS GetCallerIdentity, for the `aws_caller_identity` data source, with a fixed, obviously fake account;
 *   - AWS Private CA (JSON protocol, `X-Amz-Target: ACMPrivateCA.*`), for the `aws_acmpca_certificate_authority`
 *     data source that Service Connect TLS reads to check, at plan time, that each CA is ACTIVE. Every CA is
 *     ACTIVE, except those whose id starts with `00000000-`, which are DISABLED: what a test of that check uses;
 *   - EC2 DescribeManagedPrefixLists and GetManagedPrefixListEntries (query protocol, XML), for the
 *     `aws_ec2_managed_prefix_list` data source VPC Lattice's stacks read their managed prefix list with: the list
 *     named in the request, owned by AWS, with the link-local block of Lattice's own example (169.254.171.0/24,
 *     VPC Lattice user guide, security-groups.html).
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

const EC2_XMLNS = "http://ec2.amazonaws.com/doc/2016-11-15/";
/** The id the stand-in gives every prefix list (`pl-` and 8 hex digits, as AWS's managed lists have). */
export const STUB_PREFIX_LIST_ID = "pl-0a1b2c3d";

const xmlText = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** EC2's answers (query protocol), by action, or undefined for an action the stand-in does not know. */
function ec2(form: URLSearchParams): string | undefined {
  const action = form.get("Action");
  const wrap = (inner: string) =>
    `<${action}Response xmlns="${EC2_XMLNS}"><requestId>meshform-check</requestId>${inner}</${action}Response>`;
  if (action === "DescribeManagedPrefixLists") {
    // The data source asks by name (`prefix-list-name` filter) or by id.
    const name = [...form.entries()].find(([k]) => /^Filter\.\d+\.Value\.\d+$/.test(k))?.[1] ?? "com.amazonaws.stub.vpc-lattice";
    const region = name.split(".")[2] ?? "us-east-1";
    return wrap(
      `<prefixListSet><item><prefixListId>${STUB_PREFIX_LIST_ID}</prefixListId><addressFamily>IPv4</addressFamily>` +
        `<state>create-complete</state><prefixListArn>arn:aws:ec2:${xmlText(region)}:aws:prefix-list/${STUB_PREFIX_LIST_ID}</prefixListArn>` +
        `<prefixListName>${xmlText(name)}</prefixListName><maxEntries>1</maxEntries><version>1</version><tagSet/><ownerId>AWS</ownerId></item></prefixListSet>`,
    );
  }
  if (action === "GetManagedPrefixListEntries")
    return wrap("<entrySet><item><cidr>169.254.171.0/24</cidr><description>VPC Lattice</description></item></entrySet>");
  return undefined;
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
    const form = new URLSearchParams(text);
    if (form.get("Version") === "2016-11-15") {
      const answer = ec2(form);
      if (answer === undefined)
        res
          .writeHead(400, { "content-type": "text/xml" })
          .end(`<Response><Errors><Error><Code>InvalidAction</Code><Message>not stubbed</Message></Error></Errors></Response>`);
      else res.writeHead(200, { "content-type": "text/xml" }).end(answer);
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
