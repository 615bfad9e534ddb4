// schemas/plan.schema.json is the contract of `plan --format json`: every plan the suite makes is checked
// against it (vitest sets WXCONF_VERIFY_PLANS=1); here, that the check bites, and that the reason codes and
// their sentences agree.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { planContractProblems, verifyPlanContract } from "../src/plan/contract.js";
import { REASON_CODES } from "../src/render/reasons.js";
import { Accounts, planAgainst } from "./helpers/account.js";
import { ROOT } from "./helpers/cli.js";

const accounts = new Accounts();
afterEach(() => accounts.closeAll());

const schema = JSON.parse(readFileSync(join(ROOT, "schemas", "plan.schema.json"), "utf8")) as {
  $defs: { change: { properties: { reason_code: { enum: string[] } } } };
};

describe("the plan contract", () => {
  it("a real plan matches it, and any drift from it is named", async () => {
    const emulator = await accounts.start({ tags: [{ name: "老客户" }] });
    const { plan } = await planAgainst(emulator, "tags:\n  - name: VIP\n    previously: [老客户]\nmenu:\n  button: [{ name: a, type: click, key: A }]\n");
    expect(planContractProblems(plan)).toEqual([]);
    expect(planContractProblems({ ...plan, extra: true })).toEqual(["(the plan) must NOT have additional properties"]);
    const [first] = plan.changes;
    expect(planContractProblems({ ...plan, changes: [{ ...first, reason_code: "made_up" }] })).toEqual([
      "/changes/0/reason_code must be equal to one of the allowed values",
    ]);
    expect(planContractProblems({ ...plan, checksum: "abc" })[0]).toContain("/checksum must match pattern");
    expect(() => verifyPlanContract({ ...plan, steps: "none" }, { WXCONF_VERIFY_PLANS: "1" })).toThrow("bug: the plan breaks schemas/plan.schema.json");
    expect(() => verifyPlanContract({ ...plan, steps: "none" }, {})).not.toThrow();
  });

  it("every reason code has a sentence, and the schema lists exactly those", () => {
    expect([...schema.$defs.change.properties.reason_code.enum].sort()).toEqual([...REASON_CODES].sort());
  });
});
