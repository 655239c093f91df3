/**
 * With MESHFORM_RUSAGE set to a file, each meshform process (the command line and every synth worker)
 * appends one JSON line there as it ends: its CPU time and peak memory. That is how `npm run bench`
 * measures a synth that spans several processes, on any platform.
 */
import { appendFileSync } from "node:fs";

export interface UsageLine {
  role: string;
  pid: number;
  cpuMs: number;
  maxRssMiB: number;
}

export function reportUsageAtExit(role: string): void {
  const file = process.env.MESHFORM_RUSAGE;
  if (!file) return;
  process.on("exit", () => {
    const u = process.resourceUsage();
    const line: UsageLine = { role, pid: process.pid, cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000, maxRssMiB: u.maxRSS / 1024 };
    appendFileSync(file, `${JSON.stringify(line)}\n`);
  });
}
