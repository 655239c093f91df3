import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { startAwsStub } from "../../src/terraform/aws-stub";
import { findMirror, platform, providerIn } from "../../src/terraform/mirror";

function fakeMirror(versions: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), "meshform-mirror-"));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  for (const v of versions) mkdirSync(join(dir, "registry.terraform.io/hashicorp/aws", v, platform()), { recursive: true });
  return dir;
}

describe("finding a provider mirror", () => {
  it("takes the newest version built for this platform, comparing versions as numbers", () => {
    const dir = fakeMirror(["5.9.0", "5.100.0", "5.11.0"]);
    expect(providerIn(dir)).toEqual({ dir, version: "5.100.0" });
  });

  it("uses TF_PLUGIN_MIRROR first, and says when it holds no provider", () => {
    const dir = fakeMirror(["5.1.0"]);
    expect(findMirror({ TF_PLUGIN_MIRROR: dir })).toEqual({ dir, version: "5.1.0" });
    const empty = fakeMirror([]);
    expect(findMirror({ TF_PLUGIN_MIRROR: empty })).toEqual({
      reason: `TF_PLUGIN_MIRROR=${empty} holds no registry.terraform.io/hashicorp/aws for ${platform()}`,
    });
  });
});

describe("the loopback STS", () => {
  it("answers GetCallerIdentity with the stub account", async () => {
    const sts = await startAwsStub();
    try {
      const res = await fetch(sts.url, { method: "POST", body: "Action=GetCallerIdentity&Version=2011-06-15" });
      expect(await res.text()).toContain("<Account>123456789012</Account>");
    } finally {
      await sts.close();
    }
  });
});
