/**
 * A fake clock for the services' retrying code: time moves only by what the code sleeps and by the timeouts
 * the test lets expire, so a test checks what happened, in order (tries, the pauses asked for with their
 * lengths, the timeouts that fired), and never how long anything took.
 */
import type { Clock } from "../../src/services/shared/clock";

interface Timer {
  at: number;
  ms: number;
  fire: () => void;
}

export class FakeClock implements Clock {
  private time = 0;
  private holding = false;
  private readonly held: (() => void)[] = [];
  private readonly timers: Timer[] = [];
  /**
   * What happened, in order: `sleep <ms>` for each pause the code took, `timeout <ms>` for each timeout
   * that expired; tests add their own (a fake backend's `try <n>`) to see them interleaved.
   */
  readonly events: string[] = [];

  /** `random`: the jitter roll (by default the middle of the range). */
  constructor(private readonly roll: () => number = () => 0.5) {}

  now = () => this.time;

  random = () => this.roll();

  /** A pause is taken at once, time moving on by its length; while held (hold()), it waits for release(). */
  sleep = (ms: number): Promise<void> => {
    this.events.push(`sleep ${ms}`);
    const done = () => {
      this.time += ms;
    };
    if (!this.holding) {
      done();
      return Promise.resolve();
    }
    return new Promise((resolve) =>
      this.held.push(() => {
        done();
        resolve();
      }),
    );
  };

  /** A timeout fires only when the test lets it expire (expire()): a try never runs out of time on its own. */
  timeout = (ms: number, signal: AbortSignal): Promise<void> =>
    new Promise((resolve) => {
      if (signal.aborted) return;
      const timer: Timer = { at: this.time + ms, ms, fire: resolve };
      this.timers.push(timer);
      signal.addEventListener("abort", () => this.forget(timer), { once: true });
    });

  /** Time passes until the earliest pending timeout, which fires: what a backend that never answers does. */
  expire(): void {
    const timer = [...this.timers].sort((a, b) => a.at - b.at)[0];
    if (!timer) throw new Error("no timeout is pending");
    this.forget(timer);
    this.time = Math.max(this.time, timer.at);
    this.events.push(`timeout ${timer.ms}`);
    timer.fire();
  }

  private forget(timer: Timer): void {
    const i = this.timers.indexOf(timer);
    if (i >= 0) this.timers.splice(i, 1);
  }

  /** From now on pauses wait, each for release(): to see how many calls wait to retry at once. */
  hold(): void {
    this.holding = true;
  }

  /** Pauses waiting now. */
  get waiting(): number {
    return this.held.length;
  }

  /** Ends every pause waiting, and holds no more. */
  release(): void {
    this.holding = false;
    for (const end of this.held.splice(0)) end();
  }

  /** The lengths of the pauses taken (or waiting), in order. */
  get sleeps(): number[] {
    return this.events.filter((e) => e.startsWith("sleep ")).map((e) => Number(e.slice(6)));
  }
}
