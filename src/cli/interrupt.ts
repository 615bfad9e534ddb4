// Ctrl-C (SIGINT) and a CI cancel (SIGTERM). By default a signal ends the command at once with a line
// saying so (plan, drift, import and output write nothing to the account). apply takes over while it
// writes: the first signal lets the call in flight finish and prints the report; a second ends at once.
import type { Console } from "./console.js";
import { EXIT, type ExitCode } from "./exit-codes.js";

export type StopSignal = "SIGINT" | "SIGTERM";

export const exitCodeFor = (signal: StopSignal): ExitCode => (signal === "SIGINT" ? EXIT.sigint : EXIT.sigterm);

export class Interrupts {
  /** The first signal received, if any. */
  received: StopSignal | undefined;
  /** Applies in progress (several, in a fleet): each is told of the first signal. */
  private readonly takeovers = new Set<(signal: StopSignal) => void>();

  constructor(
    private readonly out: Console,
    private readonly whatIsLost = "nothing was written",
  ) {
    for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => this.handle(signal));
  }

  /** While `onSignal` is registered, the first signal is handed to it instead of ending the process. */
  takeOver(onSignal: (signal: StopSignal) => void): () => void {
    this.takeovers.add(onSignal);
    return () => void this.takeovers.delete(onSignal);
  }

  private handle(signal: StopSignal): void {
    if (this.received === undefined && this.takeovers.size > 0) {
      this.received = signal;
      for (const onSignal of this.takeovers) onSignal(signal);
      return;
    }
    const again = this.received !== undefined;
    this.out.error(
      again
        ? `\nInterrupted again (${signal}): exiting now. A call in flight may or may not have taken effect: run 'wxconf plan' to see the account as it is.`
        : `\nInterrupted (${signal}): ${this.whatIsLost}.`,
    );
    process.exit(exitCodeFor(this.received ?? signal));
  }
}
