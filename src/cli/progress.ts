// One line per apply step on stderr, with its result; a spinner while a step waits, only on a TTY.
import type { StepHooks } from "../apply/execute.js";
import type { StepOutcome } from "../apply/result.js";
import type { Plan, Step } from "../plan/model.js";
import { styler } from "../render/style.js";
import type { Console } from "./console.js";

const RECOVERED: Record<NonNullable<StepOutcome["recovered"]>, string> = {
  confirmed: " (answer lost; re-read: it had taken effect)",
  sent_again: " (answer lost; re-read: it had not, sent again)",
  already_present: " (already there: made meanwhile, not sent)",
};

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

export function stepProgress(out: Console): StepHooks & { onVerify(): void } {
  const paint = styler(out.colorErr);
  const label = (index: number, total: number, description: string) => `[${String(index).padStart(String(total).length)}/${total}] ${description}`;
  // Steps run in parallel: one spinner line for all the steps in flight, the latest named.
  const inFlight = new Map<number, string>();
  let spinner: NodeJS.Timeout | undefined;
  let frame = 0;
  const draw = () => {
    const latest = [...inFlight.values()].pop() ?? "";
    const more = inFlight.size > 1 ? ` (+${inFlight.size - 1} more in flight)` : "";
    out.progress(`\r\u001b[K${FRAMES[frame++ % FRAMES.length]} ${latest}${more}`);
  };
  const clear = () => {
    if (spinner) out.progress("\r\u001b[K");
  };
  return {
    onStart(step: Step, total: number) {
      if (!out.interactive) return;
      inFlight.set(step.index, label(step.index, total, step.description));
      draw();
      spinner ??= setInterval(draw, 100);
    },
    onEnd(outcome: StepOutcome, total: number) {
      clear();
      inFlight.delete(outcome.index);
      if (inFlight.size === 0 && spinner) {
        clearInterval(spinner);
        spinner = undefined;
      }
      const time = `${outcome.ms ?? 0} ms`;
      const result =
        outcome.status === "done"
          ? paint("green", "done") + (outcome.recovered ? RECOVERED[outcome.recovered] : "")
          : paint("red", `failed${outcome.error?.errcode !== undefined ? ` (errcode ${outcome.error.errcode})` : ""}`);
      out.error(`${label(outcome.index, total, outcome.description)}: ${result} in ${time}`);
      if (spinner) draw();
    },
    onVerify() {
      out.error("Reading the account again to confirm nothing is left to change…");
    },
  };
}

export function stepsLine(plan: Plan): string {
  return `Applying ${plan.steps.length} step(s) to account ${plan.account.app_id}:`;
}
