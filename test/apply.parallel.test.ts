// Parallel apply over real HTTP: under random latencies every step starts only after the steps it depends
// on are done; the first failure stops new steps; 45011 quiets the whole apply, not one call.
import { afterEach, describe, expect, it } from "vitest";
import { applyPlan } from "../src/apply/apply.js";
import type { StepOutcome } from "../src/apply/result.js";
import type { EmulatorOptions } from "../src/emulator/server.js";
import { makePlan } from "../src/plan/build.js";
import { applyCollaborators } from "../src/plan/collaborators.js";
import type { Plan, Step } from "../src/plan/model.js";
import { Accounts, configOf, followers } from "./helpers/account.js";
import { clientFor } from "./helpers/client.js";

const accounts = new Accounts();
afterEach(() => accounts.closeAll());

const FILE = `industry: { primary: 1, secondary: 2 }
tags:
  - name: 会员
    previously: [VIP]
    members: [o000000, o000001, o000002]
  - name: 测试人员
    members: [o000003]
  - name: 新客
    members: [o000004, o000005]
templates:
  order_shipped: { template_id_short: "47123", title: 订单发货通知, keywords: [订单号, 发货时间] }
menu:
  button: [{ name: 今日歌曲, type: click, key: V1001_TODAY_MUSIC }]
conditional_menus:
  - { name: testers, matchrule: { tag: 测试人员 }, button: [{ name: 测试, type: click, key: T }] }
  - { name: new, matchrule: { tag: 新客 }, button: [{ name: 新, type: click, key: N }] }
  - { name: vip, matchrule: { tag: 会员 }, button: [{ name: 会员, type: click, key: V }] }
prune: { tags: true }
`;

const STATE = {
  followers: followers(8),
  tags: [
    { name: "VIP", members: ["o000006", "o000007"] },
    { name: "老客户", members: ["o000006"] },
  ],
  menu: { button: [{ name: "旧", type: "click", key: "OLD" }] },
  conditional_menus: [{ matchrule: { client_platform_type: "1" }, button: [{ name: "苹果", type: "click", key: "I" }] }],
};

/** Applies with hooks that record when each step started and ended. */
async function timedApply(options: EmulatorOptions, parallelism: number, file = FILE, state: object = STATE) {
  const emulator = await accounts.start(state, options);
  const { desired } = configOf(file);
  const client = clientFor(emulator);
  const times = new Map<string, { start: number; end?: number }>();
  try {
    const { plan } = await makePlan("wxconf.yaml", desired, client.read);
    const hooks = {
      onStart: (step: Step) => void times.set(step.id, { start: performance.now() }),
      onEnd: (outcome: StepOutcome) => {
        const step = plan.steps[outcome.index - 1] as Step;
        (times.get(step.id) as { start: number; end?: number }).end = performance.now();
      },
    };
    const result = await applyPlan(plan, client.write, applyCollaborators(plan, desired, client.read), hooks, undefined, parallelism);
    return { plan, result, times, emulator };
  } finally {
    await client.close();
  }
}

/** Every step started after every step it depends on (by id or group) had ended. */
function violations(plan: Plan, times: ReadonlyMap<string, { start: number; end?: number }>): string[] {
  const found: string[] = [];
  for (const step of plan.steps) {
    const started = times.get(step.id)?.start;
    if (started === undefined) continue;
    for (const name of step.after ?? []) {
      for (const before of plan.steps.filter((other) => other !== step && (other.id === name || (other.groups ?? []).includes(name)))) {
        const ended = times.get(before.id)?.end;
        if (ended === undefined || ended > started) found.push(`${step.id} started before ${before.id} ended`);
      }
    }
  }
  return found;
}

describe("parallel apply", () => {
  it.each([1, 2, 3, 4, 5])("seed %i: random latencies never break an order constraint, and the account converges", async (seed) => {
    const { plan, result, times } = await timedApply({ seed, latencyMs: 5, jitterMs: 40 }, 8);
    expect(plan.steps.some((step) => (step.after ?? []).length > 0)).toBe(true);
    expect(violations(plan, times)).toEqual([]);
    expect(result.status).toBe("applied");
    // Steps did overlap: the run was parallel.
    const spans = [...times.values()];
    expect(spans.some((a) => spans.some((b) => a !== b && a.start < (b.end ?? 0) && b.start < (a.end ?? 0)))).toBe(true);
  });

  it("the first failure stops new steps; the calls in flight finish; the rest is not attempted", async () => {
    const tags = Array.from({ length: 24 }, (_, index) => `  - name: T${index}\n    members: [${index === 5 ? "stranger" : "o000000"}]\n`).join("");
    const { plan, result, times } = await timedApply({ latencyMs: 20 }, 3, `tags:\n${tags}`, { followers: followers(1) });
    expect(result.status).toBe("failed");
    const failed = result.steps.find((step) => step.status === "failed") as StepOutcome;
    expect(failed.error?.errcode).toBe(40003);
    const failedAt = times.get((plan.steps[failed.index - 1] as Step).id)?.end as number;
    const startedAfter = [...times.values()].filter((span) => span.start > failedAt);
    expect(startedAfter).toEqual([]);
    expect(result.steps.filter((step) => step.status === "not_attempted").length).toBeGreaterThan(0);
    expect(result.steps.filter((step) => step.status === "in_flight")).toEqual([]);
  });

  it("45011 on one call quiets every call of the apply for the minute-quota wait", async () => {
    const tags = Array.from({ length: 16 }, (_, index) => `  - name: Q${index}\n`).join("");
    const emulator = await accounts.start({}, { latencyMs: 5, faults: { rules: [{ path: "/cgi-bin/tags/create", kind: "minute_quota", skip: 2 }] } });
    const { desired } = configOf(`tags:\n${tags}`);
    // The minute wait is 60 x the retry base (20 ms here): 1.2 s or a little more.
    const client = clientFor(emulator, { env: { WXCONF_RETRY_BASE_MS: "20" } });
    try {
      const { plan } = await makePlan("wxconf.yaml", desired, client.read);
      const result = await applyPlan(plan, client.write, applyCollaborators(plan, desired, client.read), {}, undefined, 8);
      expect(result.status).toBe("applied");
    } finally {
      await client.close();
    }
    const calls = emulator.calls().calls;
    const quota = calls.find((call) => call.errcode === 45011);
    expect(quota).toBeDefined();
    // Requests already on their way when the 45011 answer left arrive within a few ms; none may start after.
    const quietFrom = (quota?.answeredMs as number) + 100;
    const during = calls.filter((call) => call.receivedMs > quietFrom && call.receivedMs < quietFrom + 1_000);
    expect(during.map((call) => `${call.path} +${call.receivedMs - quietFrom} ms`)).toEqual([]);
    expect([...emulator.account.tags.values()].filter((tag) => tag.name.startsWith("Q"))).toHaveLength(16);
  });
});
