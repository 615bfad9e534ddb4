// Property: for random desired and live states, one apply leaves nothing to change, and it makes exactly
// the fewest write calls the scenario needs (computed by an independent oracle, test/helpers/minimum.ts).
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { applyPlan } from "../src/apply/apply.js";
import { applyCollaborators } from "../src/plan/collaborators.js";
import { makePlan } from "../src/plan/build.js";
import { Accounts, configOf } from "./helpers/account.js";
import { clientFor } from "./helpers/client.js";
import {
  fileOf,
  FOLLOWERS,
  INDUSTRIES,
  MENUS,
  minimumWrites,
  seedOf,
  TAG_POOL,
  TEMPLATES,
  type Scenario,
  type ScenarioConditional,
  type ScenarioTemplate,
} from "../bench/minimum.js";

const accounts = new Accounts();
afterEach(() => accounts.closeAll());

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

describe("apply, for any desired and live state", () => {
  it("converges in one run with exactly the fewest write calls", async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (generated) => {
        const emulator = await accounts.start(seedOf(generated));
        const { desired } = configOf(fileOf(generated.desired));
        const client = clientFor(emulator);
        try {
          const { plan } = await makePlan("wxconf.yaml", desired, client.read);
          const result = await applyPlan(plan, client.write, applyCollaborators(plan, desired, client.read));
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
