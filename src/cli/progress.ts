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
  let spinner: NodeJS.Timeout | undefined;
  const label = (index: number, total: number, description: string) => `[${String(index).padStart(String(total).length)}/${total}] ${description}`;
  const stop = () => {
    if (spinner) {
      clearInterval(spinner);
      spinner = undefined;
      out.progress("\r\u001b[K");
    }
  };
  return {
    onStart(step: Step, total: number) {
      if (!out.interactive) return;
      let frame = 0;
      const draw = () => out.progress(`\r${FRAMES[frame++ % FRAMES.length]} ${label(step.index, total, step.description)}`);
      draw();
      spinner = setInterval(draw, 100);
    },
    onEnd(outcome: StepOutcome, total: number) {
      stop();
      const time = `${outcome.ms ?? 0} ms`;
      const result =
        outcome.status === "done"
          ? paint("green", "done") + (outcome.recovered ? RECOVERED[outcome.recovered] : "")
          : paint("red", `failed${outcome.error?.errcode !== undefined ? ` (errcode ${outcome.error.errcode})` : ""}`);
      out.error(`${label(outcome.index, total, outcome.description)}: ${result} in ${time}`);
    },
    onVerify() {
      out.error("Reading the account again to confirm nothing is left to change…");
    },
  };
}

export function stepsLine(plan: Plan): string {
  return `Applying ${plan.steps.length} step(s) to account ${plan.account.app_id}:`;
}
