// Apply under faults: lost answers are confirmed by a re-read (never a duplicate), dropped requests are
// sent again, -1 and 45011 are waited out, and seeded random faults always converge.
import { afterEach, describe, expect, it } from "vitest";
import { applyPlan } from "../src/apply/apply.js";
import { applyCollaborators } from "../src/plan/collaborators.js";
import type { Emulator } from "../src/emulator/server.js";
import type { FaultOptions } from "../src/emulator/faults.js";
import { makePlan } from "../src/plan/build.js";
import { Accounts, configOf } from "./helpers/account.js";
import { clientFor } from "./helpers/client.js";

const accounts = new Accounts();
afterEach(() => accounts.closeAll());

const FILE = `industry: { primary: 1, secondary: 2 }
tags:
  - name: VIP
    members: [oA, oB]
  - name: 测试人员
templates:
  order_shipped: { template_id_short: "47123", title: 订单发货通知, keywords: [订单号, 发货时间] }
  paid: { template_id_short: "43216", title: 收款成功通知, keywords: [收款金额] }
menu:
  button: [{ name: 今日歌曲, type: click, key: V1001_TODAY_MUSIC }]
conditional_menus:
  - { name: testers, matchrule: { tag: 测试人员 }, button: [{ name: 测试, type: click, key: T }] }
  - { name: vip, matchrule: { tag: VIP }, button: [{ name: 会员, type: click, key: V }] }
  - { name: ios, matchrule: { client_platform_type: 1 }, button: [{ name: 苹果, type: click, key: I }] }
`;

async function applyOnce(emulator: Emulator, sections = FILE) {
  const { desired } = configOf(sections);
  const client = clientFor(emulator);
  try {
    const { plan } = await makePlan("wxconf.yaml", desired, client.read);
    return await applyPlan(plan, client.write, applyCollaborators(plan, desired, client.read));
  } finally {
    await client.close();
  }
}

/** The account holds exactly what the file says: one of everything, no duplicate from a repeated write. */
function expectNoDuplicates(emulator: Emulator) {
  const names = [...emulator.account.tags.values()].map((tag) => tag.name);
  expect(new Set(names).size).toBe(names.length);
  expect(emulator.account.templates.map((template) => template.title).sort()).toEqual(["收款成功通知", "订单发货通知"]);
  expect(emulator.account.conditional).toHaveLength(3);
}

async function start(faults: FaultOptions, seed = 1) {
  return accounts.start({ followers: ["oA", "oB"] }, { faults, seed });
}

describe("a lost answer", () => {
  it.each([
    ["/cgi-bin/tags/create", "create tag VIP"],
    ["/cgi-bin/template/api_add_template", "add template 订单发货通知 (47123) for order_shipped"],
    ["/cgi-bin/menu/addconditional", "add conditional menu ios (iOS), precedence 3"],
    ["/cgi-bin/menu/create", "create the default menu"],
    ["/cgi-bin/template/api_set_industry", "set the template industries to 1 and 2"],
  ])("on %s: a re-read shows it took effect, and it is not sent again", async (path, description) => {
    const emulator = await start({ rules: [{ path, kind: "lost_write" }] });
    const result = await applyOnce(emulator);
    expect(result.status).toBe("applied");
    expect(result.steps.find((step) => step.description === description)?.recovered).toBe("confirmed");
    expect(emulator.calls().writesByPath[path]).toBe(emulator.calls().calls.filter((call) => call.path === path && call.applied).length);
    expectNoDuplicates(emulator);
  });

  it("that produced a new tag's id: the id is taken from the re-read and used by later steps", async () => {
    const emulator = await start({ rules: [{ path: "/cgi-bin/tags/create", kind: "lost_write", times: 2 }] });
    const result = await applyOnce(emulator);
    expect(result.status).toBe("applied");
    const vip = [...emulator.account.tags.values()].find((tag) => tag.name === "VIP");
    expect([...(vip?.members ?? [])].sort()).toEqual(["oA", "oB"]);
    expect(emulator.account.conditional.map((menu) => menu.matchrule.tag_id)).toContain(String(vip?.id));
  });

  it("of a request that was never processed: the re-read shows it did not take effect, so it is sent again", async () => {
    const emulator = await start({ rules: [{ path: "/cgi-bin/menu/addconditional", kind: "drop" }] });
    const result = await applyOnce(emulator);
    expect(result.status).toBe("applied");
    expect(result.steps.filter((step) => step.recovered === "sent_again")).toHaveLength(1);
    expect(emulator.calls().writesByPath["/cgi-bin/menu/addconditional"]).toBe(4);
    expectNoDuplicates(emulator);
  });

  it("of a batch tagging: sent again, which is harmless", async () => {
    const emulator = await start({ rules: [{ path: "/cgi-bin/tags/members/batchtagging", kind: "lost_write" }] });
    const result = await applyOnce(emulator);
    expect(result.status).toBe("applied");
    expect(emulator.calls().writesByPath["/cgi-bin/tags/members/batchtagging"]).toBe(2);
  });
});

describe("-1 (system busy) answered to a create that took effect", () => {
  it.each(["/cgi-bin/tags/create", "/cgi-bin/template/api_add_template", "/cgi-bin/menu/addconditional"])(
    "on %s: an unknown outcome, confirmed by a re-read, never sent again blindly",
    async (path) => {
      const emulator = await start({ rules: [{ path, kind: "busy_after_write" }] });
      const result = await applyOnce(emulator);
      expect(result.status).toBe("applied");
      expect(result.steps.filter((step) => step.recovered === "confirmed")).toHaveLength(1);
      expect(emulator.calls().calls.filter((call) => call.path === path && call.fault === "busy_after_write")).toHaveLength(1);
      expectNoDuplicates(emulator);
    },
  );
});

describe("busy and minute quota", () => {
  it("are waited out, with no duplicate", async () => {
    const emulator = await start({
      rules: [
        { path: "/cgi-bin/tags/create", kind: "busy", times: 2 },
        { path: "/cgi-bin/template/api_add_template", kind: "minute_quota" },
      ],
    });
    const result = await applyOnce(emulator);
    expect(result.status).toBe("applied");
    expectNoDuplicates(emulator);
  });
});

describe("seeded random faults", () => {
  it.each([1, 2, 3, 4, 5, 6])("seed %i: applying again until done converges with nothing lost or duplicated", async (seed) => {
    const emulator = await start({ rate: 0.25, kinds: ["busy", "minute_quota", "drop", "lost_write", "busy_after_write"] }, seed);
    let runs = 0;
    let status = "";
    while (status !== "applied" && runs < 6) {
      runs++;
      status = await applyOnce(emulator).then(
        (result) => result.status,
        () => "error",
      );
    }
    expect(status).toBe("applied");
    expect(emulator.calls().calls.some((call) => call.fault !== undefined)).toBe(true);
    expectNoDuplicates(emulator);
    emulator.faults.clear();
    const { desired } = configOf(FILE);
    const client = clientFor(emulator);
    expect((await makePlan("wxconf.yaml", desired, client.read)).plan.changes).toEqual([]);
    await client.close();
  });
});
