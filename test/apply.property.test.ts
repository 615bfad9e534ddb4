// Property: for random desired and live states, one apply leaves nothing to change, and it makes exactly
// the fewest write calls the scenario needs (computed by an independent oracle, test/helpers/minimum.ts).
import fc from "fast-check";
import { stringify } from "yaml";
import { afterEach, describe, expect, it } from "vitest";
import { applyPlan } from "../src/apply/apply.js";
import type { EmulatorSeed } from "../src/emulator/account.js";
import { makePlan } from "../src/plan/build.js";
import { Accounts, configOf } from "./helpers/account.js";
import { clientFor } from "./helpers/client.js";
import { minimumWrites, type Scenario, type ScenarioConditional, type ScenarioTemplate } from "./helpers/minimum.js";

const accounts = new Accounts();
afterEach(() => accounts.closeAll());

const FOLLOWERS = ["o0", "o1", "o2", "o3", "o4", "o5"];
const TAG_POOL = ["VIP", "测试", "北京", "上海", "广州"];
const MENUS: Record<string, unknown[]> = {
  m1: [{ name: "a", type: "click", key: "A" }],
  m2: [{ name: "a", type: "click", key: "A2" }],
  m3: [{ name: "b", sub_button: [{ name: "b1", type: "click", key: "B1" }] }, { name: "a", type: "click", key: "A" }],
};
const BUTTONS: Record<string, unknown[]> = { x: [{ name: "x", type: "click", key: "X" }], y: [{ name: "y", type: "click", key: "Y" }] };
const TEMPLATES: ScenarioTemplate[] = [
  { short: "47123", title: "订单发货通知", keywords: ["订单号", "发货时间"], industry: 1 },
  { short: "47123", title: "订单发货通知", keywords: ["订单号"], industry: 1 },
  { short: "43216", title: "收款成功通知", keywords: ["收款金额"], industry: 1 },
  { short: "41855", title: "预约成功通知", keywords: ["预约项目"], industry: 2 },
];
const INDUSTRIES: Array<[number, number]> = [
  [1, 2],
  [13, 2],
];

const conditionalMenus = (tagNames: string[]) =>
  fc
    .shuffledSubarray([...["1", "2", "3"].map((platform) => ({ platform })), ...tagNames.map((tag) => ({ tag }))])
    .chain((rules) => fc.tuple(...rules.map((rule) => fc.constantFrom("x", "y").map((buttons): ScenarioConditional => ({ rule, buttons })))));

const liveState = fc
  .record({
    tags: fc.subarray(TAG_POOL).chain((names) => fc.tuple(...names.map((name) => fc.subarray(FOLLOWERS).map((members) => ({ name, members }))))),
    menu: fc.option(fc.constantFrom(...Object.keys(MENUS)), { nil: null }),
    industry: fc.option(fc.constantFrom(...INDUSTRIES), { nil: null }),
  })
  .chain((live) =>
    fc.record({
      tags: fc.constant(live.tags),
      menu: fc.constant(live.menu),
      industry: fc.constant(live.industry),
      conditional: live.menu === null ? fc.constant<ScenarioConditional[]>([]) : conditionalMenus(live.tags.map((tag) => tag.name)),
      templates: live.industry === null ? fc.constant<ScenarioTemplate[]>([]) : fc.array(fc.constantFrom(...TEMPLATES), { maxLength: 4 }),
    }),
  );

const desiredTags = fc.option(
  fc.shuffledSubarray(TAG_POOL).chain((names) => {
    const spare = TAG_POOL.filter((name) => !names.includes(name));
    return fc.tuple(...names.map(() => fc.record({ renamed: fc.boolean(), members: fc.option(fc.subarray(FOLLOWERS), { nil: undefined }) }))).map((choices) =>
      choices.map((choice, index) => {
        const previous = choice.renamed ? spare.shift() : undefined;
        return { name: names[index] as string, ...(previous && { previously: [previous] }), ...(choice.members && { members: choice.members }) };
      }),
    );
  }),
  { nil: undefined },
);

const scenario: fc.Arbitrary<Scenario> = fc
  .record({
    live: liveState,
    tags: desiredTags,
    menu: fc.option(fc.constantFrom(...Object.keys(MENUS)), { nil: null, freq: 8 }),
    templates: fc.option(fc.subarray(TEMPLATES), { nil: undefined }),
    industry: fc.option(fc.constantFrom(...INDUSTRIES), { nil: undefined }),
    prune: fc.record({ tags: fc.boolean(), templates: fc.boolean() }),
  })
  .chain((parts) => {
    const ruleTags = parts.tags ? parts.tags.map((tag) => tag.name) : parts.live.tags.map((tag) => tag.name);
    const conditional = parts.menu === null ? fc.constant(undefined) : fc.option(conditionalMenus(ruleTags), { nil: undefined });
    return conditional.map(
      (menus): Scenario => ({
        live: parts.live,
        desired: {
          ...(parts.tags && { tags: parts.tags }),
          menu: parts.menu,
          ...(menus && { conditional: menus }),
          ...(parts.templates && { templates: parts.templates }),
          ...(parts.industry && { industry: parts.industry }),
          prune: parts.prune,
        },
      }),
    );
  });

function seedOf(live: Scenario["live"]): EmulatorSeed {
  const tagId = (name: string) => 100 + live.tags.findIndex((tag) => tag.name === name);
  return {
    followers: FOLLOWERS,
    tags: live.tags.map((tag) => ({ id: tagId(tag.name), name: tag.name, members: tag.members })),
    menu: live.menu === null ? null : { button: MENUS[live.menu] as unknown[] },
    conditional_menus: live.conditional.map((menu) => ({
      matchrule: menu.rule.tag === undefined ? { client_platform_type: menu.rule.platform } : { tag_id: String(tagId(menu.rule.tag)) },
      button: BUTTONS[menu.buttons] as unknown[],
    })),
    templates: live.templates.map((template) => ({ template_id_short: template.short, keywords: template.keywords })),
    industry: live.industry === null ? null : { primary: live.industry[0], secondary: live.industry[1] },
  };
}

function fileOf(desired: Scenario["desired"]): string {
  return stringify({
    ...(desired.industry && { industry: { primary: desired.industry[0], secondary: desired.industry[1] } }),
    ...(desired.tags && { tags: desired.tags }),
    ...(desired.templates && {
      templates: Object.fromEntries(desired.templates.map((template, index) => [`t${index}`, { template_id_short: template.short, title: template.title, keywords: template.keywords }])),
    }),
    menu: desired.menu === null ? null : { button: MENUS[desired.menu] },
    ...(desired.conditional && {
      conditional_menus: desired.conditional.map((menu, index) => ({
        name: `m${index}`,
        matchrule: menu.rule.tag === undefined ? { client_platform_type: Number(menu.rule.platform) } : { tag: menu.rule.tag },
        button: BUTTONS[menu.buttons],
      })),
    }),
    prune: desired.prune,
  });
}

describe("apply, for any desired and live state", () => {
  it("converges in one run with exactly the fewest write calls", async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (generated) => {
        const emulator = await accounts.start(seedOf(generated.live));
        const { desired } = configOf(fileOf(generated.desired));
        const client = clientFor(emulator);
        try {
          const { plan } = await makePlan("wxconf.yaml", desired, client.read);
          const result = await applyPlan(plan, desired, client);
          expect(result.status).toBe("applied");
          expect(emulator.calls().writes).toBe(minimumWrites(generated));
        } finally {
          await client.close();
          await accounts.closeAll();
        }
      }),
      { numRuns: 60, seed: 20261123 },
    );
  });
});
