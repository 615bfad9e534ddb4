// The JSON contract of a plan (schemas/plan.schema.json), checked: a saved plan must match it before
// apply trusts it, and with $WXCONF_VERIFY_PLANS=1 (the test suite sets it) every plan made is checked.
import type { ErrorObject } from "ajv";
import validatePlan from "./plan-validator.generated.js";

type Validator = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

/** Where the value breaks the contract, one line each; empty when it matches. */
export function planContractProblems(value: unknown): string[] {
  const validate = validatePlan as Validator;
  if (validate(value)) return [];
  return (validate.errors ?? []).map((error) => `${error.instancePath || "(the plan)"} ${error.message ?? "is not valid"}`);
}

/** Throws when `$WXCONF_VERIFY_PLANS` is 1 and the plan breaks its own contract: a bug in wxconf, never the user's. */
export function verifyPlanContract(plan: unknown, env: Readonly<Record<string, string | undefined>> = process.env): void {
  if (env.WXCONF_VERIFY_PLANS !== "1") return;
  const problems = planContractProblems(plan);
  if (problems.length > 0) throw new Error(`bug: the plan breaks schemas/plan.schema.json: ${problems.slice(0, 5).join("; ")}`);
}
