/**
 * A local filesystem mirror of the AWS provider (Terraform's layout: <dir>/registry.terraform.io/hashicorp/aws/
 * <version>/<os>_<arch>/), for checks that must run offline: TF_PLUGIN_MIRROR, else Terraform's implied
 * mirror directories, else a shallow look in the places images put one (/opt, /usr/local, /srv).
 */
import { existsSync, readdirSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

const PROVIDER = "registry.terraform.io/hashicorp/aws";

export interface Mirror {
  dir: string;
  version: string;
}

export const platform = () => `${process.platform}_${process.arch === "x64" ? "amd64" : process.arch}`;

/** Terraform's implied local mirror directories (CLI configuration docs, "Implied Local Mirror Directories"). */
function impliedDirs(): string[] {
  const home = homedir();
  const xdg = process.env.XDG_DATA_HOME ?? join(home, ".local/share");
  return [
    join(home, ".terraform.d/plugins"),
    join(xdg, "terraform/plugins"),
    "/usr/local/share/terraform/plugins",
    "/usr/share/terraform/plugins",
  ];
}

function shallowDirs(): string[] {
  const found: string[] = [];
  for (const root of ["/opt", "/usr/local", "/srv"]) {
    let entries: string[] = [];
    try {
      entries = readdirSync(root);
    } catch {
      continue;
    }
    for (const e of entries) found.push(join(root, e), join(root, e, "plugins"));
  }
  return found;
}

const byVersion = (a: string, b: string) => {
  const [x, y] = [a, b].map((v) => v.split(".").map(Number));
  for (let i = 0; i < 3; i++) if (x![i] !== y![i]) return x![i]! - y![i]!;
  return 0;
};

/** The newest AWS provider version in `dir` built for this platform, if any. */
export function providerIn(dir: string): Mirror | undefined {
  const root = join(dir, PROVIDER);
  let versions: string[];
  try {
    versions = readdirSync(root).filter((v) => /^\d+\.\d+\.\d+$/.test(v) && existsSync(join(root, v, platform())));
  } catch {
    return undefined;
  }
  const version = versions.sort(byVersion).at(-1);
  return version ? { dir, version } : undefined;
}

export function findMirror(env: NodeJS.ProcessEnv = process.env): Mirror | { reason: string } {
  if (env.TF_PLUGIN_MIRROR) {
    return (
      providerIn(env.TF_PLUGIN_MIRROR) ?? { reason: `TF_PLUGIN_MIRROR=${env.TF_PLUGIN_MIRROR} holds no ${PROVIDER} for ${platform()}` }
    );
  }
  for (const dir of [...impliedDirs(), ...shallowDirs()]) {
    const mirror = providerIn(dir);
    if (mirror) return mirror;
  }
  return { reason: `no local mirror of ${PROVIDER} for ${platform()} (set TF_PLUGIN_MIRROR to one)` };
}

export const compareVersions = byVersion;
