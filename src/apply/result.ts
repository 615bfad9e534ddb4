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
  /** in_flight: sent when apply was interrupted, and its answer never came: it may or may not have taken effect. */
  status: "done" | "failed" | "in_flight" | "not_attempted";
  /**
   * confirmed / sent_again: the answer was lost, and a re-read showed the call had taken effect, or it was
   * sent again. already_present: a re-read just before a create found the object there (made meanwhile).
   */
  recovered?: "confirmed" | "sent_again" | "already_present";
  ms?: number;
  error?: StepError;
}

export interface ApplyResult {
  format_version: string;
  account: { app_id: string };
  checksum: string;
  /**
   * applied: every step done and the account matches; failed: a step failed; incomplete: done, but it still
   * differs; unverified: done, but reading the account again failed; interrupted: a signal stopped it;
   * no_changes: the account already matched, nothing was sent.
   */
  status: "applied" | "failed" | "incomplete" | "unverified" | "interrupted" | "no_changes";
  summary: PlanSummary;
  steps: StepOutcome[];
  /** What a plan made after the last step still shows. */
  remaining: Change[];
  /** Why verification failed (status unverified). */
  verify_error?: string;
  /** The signal that stopped apply (status interrupted). */
  signal?: string;
}

export function initialOutcomes(steps: ReadonlyArray<{ index: number; address: string; description: string; path: string }>): StepOutcome[] {
  return steps.map((step) => ({ index: step.index, address: step.address, description: step.description, api: step.path, status: "not_attempted" }));
}
