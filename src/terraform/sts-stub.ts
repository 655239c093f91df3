/**
 * A loopback stand-in for AWS STS: answers GetCallerIdentity, the one call a plan makes for the
 * `aws_caller_identity` data source, with a fixed, obviously fake account.
 */
import { createServer } from "node:http";

export const STUB_ACCOUNT = "123456789012";

const ANSWER =
  '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>' +
  `<Arn>arn:aws:iam::${STUB_ACCOUNT}:user/meshform-check</Arn><UserId>AIDAMESHFORMCHECK</UserId><Account>${STUB_ACCOUNT}</Account>` +
  "</GetCallerIdentityResult><ResponseMetadata><RequestId>meshform-check</RequestId></ResponseMetadata></GetCallerIdentityResponse>";

export async function startStsStub(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(200, { "content-type": "text/xml" }).end(ANSWER));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
