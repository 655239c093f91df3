/**
 * A value loaded on first use through a dynamic import, so that what only building a stack needs (cdktf and
 * the provider classes) is not loaded by validate. `load()` once (synth does, before building stacks; the test
 * setup does for every provider), then `get()` synchronously, where constructs are built.
 */
export class Lazy<T> {
  private value: T | undefined;
  private loading: Promise<T> | undefined;

  constructor(
    private readonly what: string,
    private readonly loader: () => Promise<T>,
  ) {}

  load(): Promise<T> {
    this.loading ??= this.loader().then((value) => {
      this.value = value;
      return value;
    });
    return this.loading;
  }

  get(): T {
    if (this.value === undefined) throw new Error(`${this.what} is used before it was loaded (await its load() first)`);
    return this.value;
  }
}
