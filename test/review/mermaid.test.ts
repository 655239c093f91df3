/** The mesh as a Mermaid graph: each version's share of every route, with what the route matches; signed calls. */
import { describe, expect, it } from "vitest";
import { mermaid } from "../../src/review/mermaid";
import { resolve } from "../helpers";
import { LATTICE_FILE, LATTICE_YAML } from "../providers/vpc-lattice/lattice-yaml";

describe("mermaid", () => {
  it("labels each version with its share of every route and the route's match, and says calls are signed under VPC Lattice", () => {
    expect(mermaid(resolve(LATTICE_YAML, LATTICE_FILE)).split("\n")).toEqual([
      "graph LR",
      '  web["web<br/>:8080 × 1"]',
      '  web -->|"no retries, 20s, signed"| api',
      '  web -->|"2 retries × 10s, 30s in all, signed"| worker',
      '  api["api<br/>:3000 × 3"]',
      '  api -->|"orders (POST /orders) 50%, legacy (/legacy*) 100%, main 90%"| api_v1["v1 (v1) × 2"]',
      '  api -->|"beta (x-beta-user=true & x-tenant=acme-*) 100%, orders (POST /orders) 50%, main 10%"| api_v2["v2 (v2) × 1"]',
      '  api -->|"2 retries × 10s, 30s in all, signed"| worker',
      '  worker["worker<br/>:3001 × 1"]',
    ]);
  });
});
