/**
 * Which environments CI applies, and for how long at most (issue 15, rows 9 and 10). A GitHub-hosted job runs
 * 6 hours at most (GitHub docs, usage limits); Terraform waits for each ECS deployment (deployment-wait.ts).
 */
import { describe, expect, it } from "vitest";
import { applyTargets, longestChain, MARGIN_MINUTES } from "../../src/deploy/apply-budget";
import { main } from "../../src/deploy/main";
import { providerOf } from "../../src/providers";
import { APPMESH_QA_FILE, APPMESH_QA_YAML, ENVS, resolve, resolveEnv } from "../helpers";
import { trafficYaml } from "../traffic-yaml";

const STATE = "state: { bucket: tf-state-bucket, key: dev.tfstate, region: eu-west-1 }\nservices:";

describe("apply budgets", () => {
  it("follow the longest chain of deployments that run one after another: each caller after its backends (Service Connect)", () => {
    const prod = resolveEnv("prod");
    // data-processing: canary 5% for 15m, then 30m of bake: 20 + 45; data-ingestion after it: rolling, 20.
    expect(longestChain(prod, providerOf("service-connect"))).toEqual({ minutes: 85, services: ["data-processing", "data-ingestion"] });
  });

  it("take the longest single deployment where services deploy side by side (App Mesh)", () => {
    const qa = resolve(APPMESH_QA_YAML, APPMESH_QA_FILE);
    expect(longestChain(qa, providerOf("appmesh")).minutes).toBe(20);
  });

  it("apply only environments that deploy and keep their state remotely, each with its chain and a margin", () => {
    const local = resolve(trafficYaml({}));
    const remote = resolve(trafficYaml({ worker: "    deployment: { strategy: blue-green, bakeTime: 30m }" }).replace("services:", STATE));
    const mesh = resolve(trafficYaml({ provider: "appmesh" }).replace("services:", STATE));
    expect(applyTargets([local, remote, mesh], (e) => providerOf(e.mesh.provider))).toEqual([
      { env: "dev", timeout: 50 + 20 + MARGIN_MINUTES, chain: ["worker", "api"] },
    ]);
  });

  it("print the targets as a workflow matrix, and refuse an apply longer than a GitHub-hosted job", () => {
    let out = "";
    let err = "";
    const write = (to: "out" | "err") => (s: string | Uint8Array) => {
      if (to === "out") out += String(s);
      else err += String(s);
      return true;
    };
    const [stdout, stderr] = [process.stdout.write, process.stderr.write];
    process.stdout.write = write("out") as typeof process.stdout.write;
    process.stderr.write = write("err") as typeof process.stderr.write;
    try {
      expect(main(["--config-dir", ENVS])).toBe(0);
    } finally {
      process.stdout.write = stdout;
      process.stderr.write = stderr;
    }
    expect(JSON.parse(out)).toEqual([
      { env: "prod", timeout: 100, chain: ["data-processing", "data-ingestion"] },
      // VPC Lattice's services deploy side by side: the longest one alone (rolling, 20 minutes) and the margin.
      { env: "qa", timeout: 35, chain: ["data-ingestion"] },
      { env: "staging", timeout: 105, chain: ["data-processing", "data-ingestion"] },
    ]);
    expect(err).not.toContain("meshform:");
  });
});
