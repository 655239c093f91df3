/** The run was interrupted (Ctrl-C, SIGTERM, SIGHUP) before the new output was sealed: nothing changed. */
export class Interrupted extends Error {
  constructor() {
    super("interrupted; the previous output is unchanged");
  }
}
