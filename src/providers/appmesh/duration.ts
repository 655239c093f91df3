/** App Mesh's `{ unit, value }` shape of a duration: whole seconds where exact, else milliseconds. */
export function toAppMeshDuration(ms: number): { unit: "s" | "ms"; value: number } {
  return ms % 1000 === 0 ? { unit: "s", value: ms / 1000 } : { unit: "ms", value: ms };
}
