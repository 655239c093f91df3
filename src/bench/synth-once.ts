/** One synth of every environment, as `npm run synth` runs it, reporting its own time and peak memory. */
import { performance } from "node:perf_hooks";
import { run } from "../cli";

const outdir = process.argv[2]!;
run(["synth"], { out: () => {}, err: (line) => console.error(line), outdir }).then((code) => {
  // performance.now() counts from process start: Node's boot and every module load are included.
  console.log(JSON.stringify({ code, ms: performance.now(), maxRssMiB: process.resourceUsage().maxRSS / 1024 }));
});
