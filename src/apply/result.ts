// What apply did: plain data, rendered as text or JSON (--format json).
import type { Change, PlanSummary } from "../plan/model.js";

export interface StepError {
  message: string;
  errcode?: number;
  errmsg?: string;
  meaning?: string;
  hint?: string;
}

export interface StepOutcome {
  index: number;
  address: string;
  description: string;
  api: string;
  status: "done" | "failed" | "not_attempted";
  /** The answer was lost: a re-read showed the call had taken effect, or it was sent again. */
  recovered?: "confirmed" | "sent_again";
  ms?: number;
  error?: StepError;
}

export interface ApplyResult {
  format_version: string;
  account: { app_id: string };
  checksum: string;
  /** applied: every step done and the account matches; failed: a step failed; incomplete: done, but it still differs. */
  status: "applied" | "failed" | "incomplete";
  summary: PlanSummary;
  steps: StepOutcome[];
  /** What a plan made after the last step still shows. */
  remaining: Change[];
}
