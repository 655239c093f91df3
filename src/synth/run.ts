/**
 * `meshform synth`: checks every environment file of a config directory and writes the stacks that
 * changed into cdktf.out, all or nothing. A stack is reused, not made again, when its build record (see
 * build-record.ts) shows it was made from the same input by the same generator and nobody changed it since;
 * the output is the one a full synth writes, byte for byte. `force` makes every stack again.
 *
 * Everything happens under cdktf.out's lock, so what is reused is what is there. When there is enough to
 * do, worker processes start at once (each loading cdktf takes a while); this process checks the files,
 * largest first, and hands each one to the next free worker as soon as it is checked, so synthesis
 * overlaps the checking of the rest. If any file has an error, the workers are stopped and nothing is
 * written.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type ConfigEntry, listConfigDir, readConfigBytes } from "../config/config-dir";
import { byPosition, type Diagnostic, hasErrors } from "../config/diagnostics";
import type { ResolvedEnvironment } from "../config/model";
import { Interrupted } from "../output/interrupted";
import { type Current, hold, writeOutput } from "../output/write-output";
import { type BuildRecord, intact, RECORD_FILE, readRecord, recordJson, stackDir } from "./build-record";
import { cdktfVersion, environmentKey, sourceKey } from "./fingerprint";
import { type Done, SynthPool } from "./pool";
import { type SynthOptions, synthesizeInto, workersFor } from "./synthesize";

interface Checked {
  diagnostics: Diagnostic[];
  /** environmentKey() of the resolved environment; absent when the file has errors. */
  environmentKey?: string;
}

export interface SynthRunOptions extends SynthOptions {
  configDir: string;
  outdir: string;
  /** Only this environment; the others' stacks stay as they are. */
  only?: string | undefined;
  /** Make every stack again, reusing none. */
  force?: boolean;
  /** Told of each environment whose stack was reused. */
  onReused?: (name: string) => void;
  /** Told every file's problems and warnings once they are known, before anything is written. */
  onChecked?: (diagnostics: readonly Diagnostic[]) => void;
}

export interface SynthRun {
  /** Every file's problems and warnings, in file and position order. */
  diagnostics: Diagnostic[];
  /** False when a file has errors: then nothing was written. */
  ok: boolean;
  synthesized: string[];
  reused: string[];
}

/** One config file on its way through a run. */
interface Input {
  entry: ConfigEntry;
  bytes: Uint8Array | Diagnostic;
  source: string;
  /** The build record of its current stack, when that stack is intact and in the manifest. */
  record?: BuildRecord | undefined;
  checked?: Checked;
  /** Its environment, when it was checked in this process. */
  environment?: ResolvedEnvironment | undefined;
  done?: Done | undefined;
}

/** A file has errors: nothing is written. */
class Invalid extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super("invalid configuration");
  }
}

const size = (i: Input) => (i.bytes instanceof Uint8Array ? i.bytes.length : 0);
const name = (i: Input) => i.entry.env;

export async function synthConfigDir(options: SynthRunOptions): Promise<SynthRun> {
  const { configDir, outdir, only, force = false, signal } = options;
  const listing = listConfigDir(configDir, only);
  if (listing.entries.length === 0) {
    options.onChecked?.(listing.diagnostics);
    return { diagnostics: listing.diagnostics, ok: false, synthesized: [], reused: [] };
  }
  const inputs: Input[] = listing.entries.map((entry) => {
    const bytes = readConfigBytes(entry);
    return { entry, bytes, source: bytes instanceof Uint8Array ? sourceKey(entry.file, bytes) : "" };
  });
  const run: SynthRun = { diagnostics: [], ok: true, synthesized: [], reused: [] };
  let pool: SynthPool | undefined;
  const stop = () => void pool?.close();
  signal?.addEventListener("abort", stop);
  try {
    await writeOutput(outdir, options, async (staging, current) => {
      for (const input of inputs) {
        const record = force ? undefined : readRecord(outdir, name(input));
        if (record && current.stacks[name(input)] && intact(outdir, name(input), record)) input.record = record;
      }
      const pending = inputs.filter((i) => i.record?.source !== i.source);
      const workers = workersFor(
        pending.length,
        pending.reduce((n, i) => n + size(i), 0),
        options.jobs,
      );
      if (workers > 0) {
        pool = new SynthPool(workers);
        try {
          await checkHereSynthesizeInWorkers(pool, pending, staging, listing.diagnostics, options);
          await pool.shutdown();
        } finally {
          // Every worker gone before writeOutput removes staging, however this ends (a file with errors, an
          // interruption, a failed stack): one still synthesizing would write into it while it is removed.
          await pool.close();
        }
      } else {
        await checkHere(pending);
        report(inputs, listing.diagnostics, options);
        tellReused(inputs, options);
        const make = pending.filter((i) => i.checked!.environmentKey !== i.record?.environment);
        const results = await synthesizeInto(
          staging,
          make.map((i) => i.environment!),
          options,
        );
        for (const input of make) input.done = { result: results[name(input)]!, ms: 0 };
      }
      run.diagnostics = diagnosticsOf(inputs, listing.diagnostics);
      return stage(staging, current, inputs, run, listing.available, only);
    });
    return run;
  } catch (err) {
    if (err instanceof Invalid) return { diagnostics: err.diagnostics, ok: false, synthesized: [], reused: [] };
    throw err;
  } finally {
    signal?.removeEventListener("abort", stop);
  }
}

/** Every file's diagnostics: from its record when it was not checked again. */
function diagnosticsOf(inputs: readonly Input[], listing: readonly Diagnostic[]): Diagnostic[] {
  return [...listing, ...inputs.flatMap((i) => i.checked?.diagnostics ?? i.record?.diagnostics ?? [])].sort(byPosition);
}

/** Tells the caller every diagnostic; throws Invalid when one is an error. */
function report(inputs: readonly Input[], listing: readonly Diagnostic[], options: SynthRunOptions): void {
  const diagnostics = diagnosticsOf(inputs, listing);
  options.onChecked?.(diagnostics);
  if (hasErrors(diagnostics)) throw new Invalid(diagnostics);
}

/** Tells the caller which stacks stay as they are: same bytes, or the same environment from new bytes. */
function tellReused(inputs: readonly Input[], options: SynthRunOptions): void {
  for (const input of inputs) {
    if (input.record && (!input.checked || input.checked.environmentKey === input.record.environment)) options.onReused?.(name(input));
  }
}

/** Parses and checks files here (loading the YAML parser, the schema and the checks only now). */
async function checkHere(inputs: readonly Input[]): Promise<void> {
  if (inputs.length === 0) return;
  const [{ evaluate }, { parseEnvironment }] = await Promise.all([import("../environments.js"), import("../config/load.js")]);
  for (const input of inputs) {
    if (!(input.bytes instanceof Uint8Array)) {
      input.checked = { diagnostics: [input.bytes] };
      continue;
    }
    const { environment, diagnostics } = evaluate(parseEnvironment(input.entry.file, input.bytes));
    input.environment = environment;
    input.checked = environment ? { diagnostics, environmentKey: environmentKey(environment) } : { diagnostics };
  }
}

/**
 * Checks the files here, largest first, and hands each valid one whose stack is not current to the workers
 * as soon as it is checked: they start on it while the next file is parsed. Progress is told once every
 * file is checked and valid.
 */
async function checkHereSynthesizeInWorkers(
  pool: SynthPool,
  inputs: readonly Input[],
  staging: string,
  listing: readonly Diagnostic[],
  options: SynthRunOptions,
): Promise<void> {
  let checked = false;
  const early: Input[] = [];
  const synths: Promise<void>[] = [];
  for (const input of [...inputs].sort((a, b) => size(b) - size(a))) {
    await checkHere([input]);
    if (options.signal?.aborted) throw new Interrupted();
    if (!input.environment || input.checked!.environmentKey === input.record?.environment) continue;
    const synth = pool.synthesize(input.environment, staging).then((done) => {
      input.done = done;
      if (checked) options.onStack?.(name(input), done);
      else early.push(input);
    });
    synth.catch(() => {}); // awaited below, or abandoned when a file is invalid
    synths.push(synth);
    await new Promise((resolve) => setImmediate(resolve)); // lets the job go out before the next parse
  }
  report(inputs, listing, options);
  tellReused(inputs, options);
  checked = true;
  for (const input of early) options.onStack?.(name(input), input.done!);
  await hold("synthesize", options.signal); // tests interrupt here, workers running
  await Promise.all(synths);
}

/** The staged result: records for every stack made or refreshed, and which current stacks stay. */
function stage(
  staging: string,
  current: Current,
  inputs: readonly Input[],
  run: SynthRun,
  available: readonly string[],
  only: string | undefined,
) {
  const stacks: Current["stacks"] = {};
  for (const input of inputs) {
    const { record, checked, done } = input;
    if (!checked) {
      run.reused.push(name(input)); // same bytes as its record: not even parsed
      continue;
    }
    const diagnostics = checked.diagnostics;
    if (done) {
      const { manifest, output, bytes } = done.result;
      writeRecord(staging, name(input), {
        source: input.source,
        environment: checked.environmentKey!,
        output,
        outputBytes: bytes,
        diagnostics,
      });
      stacks[name(input)] = manifest;
      run.synthesized.push(name(input));
    } else {
      // Checked again (its bytes changed) but the same environment: only the record is new.
      writeRecord(staging, name(input), { ...record!, source: input.source, diagnostics });
      stacks[name(input)] = current.stacks[name(input)]!;
      run.reused.push(name(input));
    }
  }
  // Reused stacks stay, and with `only`, so do the other environments' stacks.
  const others = only === undefined ? [] : available.filter((n) => n !== only);
  return { version: cdktfVersion(), stacks, keep: [...run.reused.filter((n) => !(n in stacks)), ...others] };
}

function writeRecord(staging: string, env: string, record: BuildRecord): void {
  const dir = stackDir(staging, env);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, RECORD_FILE), recordJson(record));
}
