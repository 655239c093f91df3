/** The services table of a review: a protocol other than HTTP beside the port, and a changed cell marked. */
import { describe, expect, it } from "vitest";
import { summaryTable } from "../../src/review/summary";
import { resolve } from "../helpers";
import { TRAFFIC_FILE, trafficYaml } from "../traffic-yaml";

const env = (worker: string) => resolve(trafficYaml({ worker }), TRAFFIC_FILE);

describe("the services table", () => {
  it("shows a protocol other than HTTP beside the port, a TCP service without timeouts, and marks the change", () => {
    expect(summaryTable(env("    protocol: tcp"), env("    protocol: grpc")).split("\n").slice(2)).toEqual([
      "| api | service-connect | 3000 | 1024 / 2048 (704 / 1856 + 320 / 192) | 1 | 30s / 15s | none | worker |",
      "| worker | service-connect | **3001 (tcp)** (was 3001 (grpc)) | 1024 / 2048 (704 / 1856 + 320 / 192) | 1 | **—** (was 15s / 15s) | none | — |",
    ]);
  });
});
