// Steps ordered by their declared dependencies (plan/order.ts): every `after` holds, groups stand for all
// their steps, deletes wait until nothing else can run, the kinds' own order breaks ties, and a cycle is
// reported as the bug it is. Plus: requests carry query parameters to the wire.
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { orderSteps, StepCycleError } from "../src/plan/order.js";
import type { StepDraft } from "../src/resources/kind.js";
import { openClient } from "../src/wechat/client.js";
import { json, startHostile, WECHAT_DEFAULTS, type HostileServer } from "./helpers/hostile.js";

const step = (id: string, extra: Partial<StepDraft> = {}, kindOrder = 0) => ({
  kindOrder,
  draft: { id, address: id, description: id, request: { endpoint: "menuDelete" as const }, ...extra },
});
const ids = (items: ReadonlyArray<{ draft: StepDraft }>) => items.map((item) => item.draft.id);

describe("orderSteps", () => {
  it("keeps the kinds' order where nothing constrains it", () => {
    expect(ids(orderSteps([step("a"), step("b"), step("c")]))).toEqual(["a", "b", "c"]);
  });

  it("honours after, by id and by group, and ignores names no step has", () => {
    const ordered = orderSteps([
      step("tag", { after: ["untag"] }),
      step("u1", { groups: ["untag"] }),
      step("x", { after: ["nothing-here"] }),
      step("u2", { groups: ["untag"] }),
    ]);
    expect(ids(ordered)).toEqual(["u1", "x", "u2", "tag"]);
  });

  it("runs deletes last, those something waits for first, then the later kinds' before the earlier ones'", () => {
    const ordered = orderSteps([
      step("tag-delete", { removes: true }, 1),
      step("template-delete", { removes: true }, 2),
      step("menu-create", {}, 3),
      step("conditional-delete", { removes: true }, 4),
      step("conditional-add", { after: ["conditional-delete", "menu-create"] }, 4),
    ]);
    expect(ids(ordered)).toEqual(["menu-create", "conditional-delete", "conditional-add", "template-delete", "tag-delete"]);
  });

  it("reports a cycle as a bug, naming the steps in it", () => {
    expect(() => orderSteps([step("a", { after: ["b"] }), step("b", { after: ["a"] }), step("c")])).toThrow(StepCycleError);
    expect(() => orderSteps([step("a", { after: ["g"], groups: ["g"] }), step("b", { groups: ["g"] })])).toThrow(
      "bug: these steps depend on each other in a cycle",
    );
  });

  it("satisfies every dependency of any acyclic graph", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ removes: fc.boolean(), deps: fc.array(fc.nat(30), { maxLength: 4 }), group: fc.option(fc.constantFrom("g1", "g2", "g3")) }), {
          maxLength: 30,
        }),
        (specs) => {
          // Edges only point backwards in index (a DAG); group dependencies only on groups of earlier steps.
          const items = specs.map((spec, index) => {
            const after = spec.deps.filter((dep) => dep < index).map((dep) => `s${dep}`);
            return step(`s${index}`, { removes: spec.removes, after, ...(spec.group && { groups: [`${spec.group}-${index}`] }) });
          });
          const ordered = ids(orderSteps(items));
          expect([...ordered].sort()).toEqual(ids(items).sort());
          const position = new Map(ordered.map((id, index) => [id, index]));
          for (const item of items)
            for (const dep of item.draft.after ?? []) expect(position.get(dep) as number).toBeLessThan(position.get(item.draft.id) as number);
        },
      ),
    );
  });
});

describe("requests with query parameters", () => {
  const servers: HostileServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  it("reach the wire beside the access token", async () => {
    const server = await startHostile({ ...WECHAT_DEFAULTS, "/cgi-bin/menu/delete": json({ errcode: 0, errmsg: "ok" }) });
    servers.push(server);
    const client = openClient({
      credentials: { app_id: "wx0123456789abcdef", app_secret: "query-test-secret" },
      apiBase: server.url,
      env: { WXCONF_RETRY_BASE_MS: "1" },
    });
    try {
      await client.write.send({ endpoint: "menuDelete", query: { kf_account: "test1@test" } });
    } finally {
      await client.close();
    }
    const url = new URL(server.urls.find((entry) => entry.startsWith("/cgi-bin/menu/delete")) ?? "", "http://x");
    expect(url.searchParams.get("kf_account")).toBe("test1@test");
    expect(url.searchParams.get("access_token")).toBe("hostile-token-0123456789");
  });
});
