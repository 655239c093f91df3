/** The table of an environment's services after a change, with the cells that changed marked. */
import { formatDuration } from "../config/duration";
import { type ResolvedEnvironment, type ResolvedService, sidecarShare } from "../config/model";
import { providerOf } from "../providers";

const COLUMNS = [
  "service",
  "provider",
  "port",
  "cpu / memory (app + sidecars)",
  "tasks",
  "timeouts (listener / route)",
  "retries",
  "backends",
] as const;

function row(env: ResolvedEnvironment, s: ResolvedService): string[] {
  const side = sidecarShare(s);
  const p = s.route.retryPolicy;
  const tasks =
    s.versions.length === 1 && s.versions[0]!.name === undefined
      ? String(s.desiredCount)
      : s.versions.map((v) => `${v.name}: ${v.desiredCount}`).join(", ");
  return [
    s.name,
    env.mesh.provider,
    // The protocol where it is not HTTP: a change of it replaces a Service Connect service (MF923).
    s.protocol === "http" ? String(s.port) : `${s.port} (${s.protocol})`,
    `${s.task.cpu} / ${s.task.memory} (${s.app.cpu} / ${s.app.memory} + ${side.cpu} / ${side.memory})`,
    tasks,
    // A TCP service has connections, not requests: nothing times them. No listener timeout under VPC Lattice: only
    // the route's, which callers enforce.
    s.protocol === "tcp"
      ? "—"
      : `${providerOf(env.mesh.provider).supports("listenerTimeouts") ? formatDuration(s.requestTimeoutMs) : "none"} / ${formatDuration(s.route.timeoutMs)}`,
    p ? `${p.maxRetries} × ${formatDuration(p.perRetryTimeoutMs)} on ${[...p.httpRetryEvents, ...p.tcpRetryEvents].join(", ")}` : "none",
    s.backends.map((b) => b.service).join(", ") || "—",
  ];
}

const escapeCell = (cell: string) => cell.replace(/\|/g, "\\|");

/** Markdown table of `after`'s services; a cell that differs from `before` reads `**new** (was old)`, a new service is marked. */
export function summaryTable(after: ResolvedEnvironment, before?: ResolvedEnvironment): string {
  const lines = [`| ${COLUMNS.join(" | ")} |`, `|${COLUMNS.map(() => "---").join("|")}|`];
  for (const s of after.services) {
    const now = row(after, s);
    const was = before?.services.find((x) => x.name === s.name);
    const old = was ? row(before!, was) : undefined;
    const cells = now.map((cell, i) =>
      old && old[i] !== cell ? `**${escapeCell(cell)}** (was ${escapeCell(old[i]!)})` : escapeCell(cell),
    );
    if (before && !was) cells[0] = `**${cells[0]}** (new)`;
    lines.push(`| ${cells.join(" | ")} |`);
  }
  for (const s of before?.services ?? [])
    if (!after.services.some((x) => x.name === s.name)) lines.push(`| ~~${s.name}~~ (removed) |${" |".repeat(COLUMNS.length - 1)}`);
  return lines.join("\n");
}
