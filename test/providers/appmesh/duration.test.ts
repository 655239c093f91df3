import { expect, it } from "vitest";
import { toAppMeshDuration } from "../../../src/providers/appmesh/duration";

it("renders App Mesh units: seconds when whole, else milliseconds", () => {
  expect(toAppMeshDuration(5000)).toEqual({ unit: "s", value: 5 });
  expect(toAppMeshDuration(120_000)).toEqual({ unit: "s", value: 120 });
  expect(toAppMeshDuration(1500)).toEqual({ unit: "ms", value: 1500 });
});
