// `npm run bench`: the built CLI against the emulator, each figure the median of several runs. Prints a
// table; `--json [file]` also writes the figures as JSON. Not part of `npm test`: these are numbers, not
// assertions, on a machine that may be shared.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { EmulatorSeed } from "../src/emulator/account.js";
import { startEmulator, type Emulator } from "../src/emulator/server.js";
import { BUTTONS, fileOf, MENUS, minimumWrites, seedOf, TEMPLATES, type Scenario } from "./minimum.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const CLI = join(ROOT, "dist/bin/wxconf.cjs");
const RUNS = Number(process.argv.find((arg) => arg.startsWith("--runs="))?.slice(7) ?? 7);
const jsonAt = process.argv.indexOf("--json");
const JSON_FILE = jsonAt < 0 ? undefined : (process.argv[jsonAt + 1] ?? "bench-results.json");
const GNU_TIME = spawnSync("/usr/bin/time", ["-f", "%M", "true"]).status === 0;

interface Row {
  section: string;
  measure: string;
  value: string;
  target: string;
  met?: boolean;
}
const rows: Row[] = [];
const figures: Record<string, number | string | boolean> = {};

function record(section: string, measure: string, value: string, target = "", met?: boolean): void {
  rows.push({ section, measure, value, target, ...(met !== undefined && { met }) });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const header = "version: 1\naccount:\n  app_id: wx0123456789abcdef\n";
const openids = (count: number, prefix: string) => Array.from({ length: count }, (_, index) => `${prefix}${String(index).padStart(19, "0")}`);

/**
 * Runs a command without blocking this process (the emulator answers from it): its wall time, and with GNU
 * time its peak memory (KB) and CPU time (user + system, ms).
 */
function timed(
  command: string[],
  env: Record<string, string> = {},
  cwd = ROOT,
): Promise<{ ms: number; code: number; peakKb?: number; cpuMs?: number; stdout: string }> {
  const [program, ...args] = GNU_TIME ? ["/usr/bin/time", "-f", "%M %U %S", ...command] : command;
  const started = performance.now();
  const child = spawn(program ?? "", args, { cwd, env: { PATH: process.env.PATH ?? "", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => {
    child.on("close", (code) => {
      const ms = performance.now() - started;
      const [peak, user, system] = GNU_TIME ? (stderr.trim().split("\n").pop() ?? "").split(" ").map(Number) : [];
      resolve({
        ms,
        code: code ?? -1,
        stdout,
        ...(peak !== undefined && Number.isFinite(peak) && { peakKb: peak }),
        ...(user !== undefined && system !== undefined && Number.isFinite(user + system) && { cpuMs: (user + system) * 1000 }),
      });
    });
  });
}

const wxconf = (args: string[], emulator?: Emulator, cwd?: string) =>
  timed([process.execPath, CLI, ...args], emulator ? { WXCONF_API_BASE: emulator.url, WXCONF_APP_SECRET: emulator.appSecret } : {}, cwd);

function workdir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "wxconf-bench-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

async function medianOf(runs: number, run: () => Promise<{ ms: number; code: number }>, expect = 0): Promise<number> {
  const times: number[] = [];
  for (let index = 0; index < runs; index++) {
    const result = await run();
    if (result.code !== expect) throw new Error(`a measured run exited with ${result.code}, not ${expect}`);
    times.push(result.ms);
  }
  return median(times);
}

// 1 ---------------------------------------------------------------------------------------------------
async function criticalPath(): Promise<void> {
  const latency = 100;
  const followers = openids(1000, "oFollower");
  const state: EmulatorSeed = {
    followers,
    industry: { primary: 1, secondary: 2 },
    tags: [
      { id: 100, name: "VIP", members: followers.slice(0, 500) },
      { id: 101, name: "测试", members: followers.slice(500, 600) },
    ],
    templates: [{ template_id_short: "47123", keywords: ["订单号", "发货时间"] }],
    menu: { button: [{ name: "今日歌曲", type: "click", key: "A" }] },
    conditional_menus: [{ matchrule: { tag_id: "100" }, button: [{ name: "会员", type: "click", key: "V" }] }],
  };
  const file = `${header}industry: { primary: 1, secondary: 2 }
tags:
  - { name: VIP, members: [${followers.slice(0, 510).join(", ")}] }
  - { name: 测试, members: [${followers.slice(500, 600).join(", ")}] }
templates:
  order: { template_id_short: "47123", title: 订单发货通知, keywords: [订单号, 发货时间] }
menu:
  button: [{ name: 今日歌曲, type: click, key: A }]
conditional_menus:
  - { name: vip, matchrule: { tag: VIP }, button: [{ name: 会员, type: click, key: V }] }
`;
  const emulator = await startEmulator({ state, latencyMs: latency });
  const dir = workdir({ "wxconf.yaml": file });
  try {
    // Paired: each run of plan follows a run of bare node, and its floor is that node's start plus three
    // round trips (the token, one parallel round of reads, then the member pages, one page per tag).
    const rounds = 3;
    const plans: number[] = [];
    const bares: number[] = [];
    const ratios: number[] = [];
    const wire: number[] = [];
    let calls = 0;
    for (let index = 0; index < RUNS; index++) {
      const bare = await timed([process.execPath, "-e", ""]);
      emulator.resetCalls();
      const result = await wxconf(["plan"], emulator, dir);
      if (result.code !== 0) throw new Error("plan failed in the critical-path benchmark");
      const log = emulator.calls().calls;
      calls = log.length;
      plans.push(result.ms);
      bares.push(bare.ms);
      ratios.push(result.ms / (bare.ms + rounds * latency));
      // On the wire: from the first request's arrival to the last answer's departure.
      wire.push(Math.max(...log.map((call) => call.answeredMs ?? call.receivedMs)) - Math.min(...log.map((call) => call.receivedMs)));
    }
    const [plan, bare, ratio, onWire] = [median(plans), median(bares), median(ratios), median(wire)];
    const sequential = calls * latency;
    Object.assign(figures, {
      plan_ms: Math.round(plan),
      node_ms_paired_with_plan: Math.round(bare),
      critical_path_rounds: rounds,
      critical_path_ratio: Number(ratio.toFixed(2)),
      wire_ms: Math.round(onWire),
      wire_ratio: Number((onWire / (rounds * latency)).toFixed(2)),
      plan_calls: calls,
    });
    const section = "1. Plan, critical path (100 ms per answer)";
    record(section, "wxconf plan, every kind, members declared", `${Math.round(plan)} ms`);
    record(
      section,
      `its floor: node -e '' (paired, ${Math.round(bare)} ms) + ${rounds} round trips x ${latency} ms`,
      `${Math.round(bare + rounds * latency)} ms`,
    );
    record(section, "plan / its floor (median of paired runs)", ratio.toFixed(2), "<= 1.25", ratio <= 1.25);
    record(section, "of which on the wire: first request to last answer", `${Math.round(onWire)} ms (${(onWire / (rounds * latency)).toFixed(2)})`);
    record(section, "of which in wxconf beyond node's start: loading code, reading the file, planning", `${Math.round(plan - bare - onWire)} ms`);
    record(section, `a fully sequential client (${calls} calls x ${latency} ms)`, `${sequential} ms`, "", undefined);
    record(section, "sequential / wxconf (minus node's start)", `${(sequential / (plan - bare)).toFixed(1)}x`);
  } finally {
    await emulator.close();
  }
}

// 2 ---------------------------------------------------------------------------------------------------
const EMPTY: Scenario["live"] = { tags: [], menu: null, conditional: [], templates: [], industry: null };
const NO_PRUNE = { tags: false, templates: false };

const SCENARIOS: Array<[string, Scenario]> = [
  [
    "fresh account",
    {
      live: EMPTY,
      desired: {
        industry: [1, 2],
        tags: [{ name: "VIP", members: ["o0", "o1"] }, { name: "测试" }],
        templates: [TEMPLATES[0], TEMPLATES[2]].filter((template) => template !== undefined),
        menu: "m3",
        conditional: [
          { rule: { tag: "VIP" }, buttons: "x" },
          { rule: { platform: "1" }, buttons: "y" },
        ],
        prune: NO_PRUNE,
      },
    },
  ],
  ["one button changed", { live: { ...EMPTY, menu: "m1" }, desired: { menu: "m2", prune: NO_PRUNE } }],
  [
    "tag renamed",
    { live: { ...EMPTY, tags: [{ name: "测试", members: ["o0"] }] }, desired: { tags: [{ name: "北京", previously: ["测试"] }], menu: null, prune: NO_PRUNE } },
  ],
  [
    "120 members added",
    {
      followers: openids(130, "o"),
      live: { ...EMPTY, tags: [{ name: "VIP", members: [] }] },
      desired: { tags: [{ name: "VIP", members: openids(120, "o") }], menu: null, prune: NO_PRUNE },
    },
  ],
  [
    "conditional menus reordered",
    {
      live: {
        ...EMPTY,
        menu: "m1",
        conditional: [
          { rule: { platform: "3" }, buttons: "x" },
          { rule: { platform: "2" }, buttons: "y" },
          { rule: { platform: "1" }, buttons: "x" },
        ],
      },
      desired: {
        menu: "m1",
        conditional: [
          { rule: { platform: "2" }, buttons: "y" },
          { rule: { platform: "1" }, buttons: "x" },
          { rule: { platform: "3" }, buttons: "x" },
        ],
        prune: NO_PRUNE,
      },
    },
  ],
  [
    "everything changed",
    {
      live: {
        tags: [
          { name: "VIP", members: ["o0", "o1"] },
          { name: "测试", members: [] },
          { name: "北京", members: [] },
        ],
        menu: "m1",
        conditional: [
          { rule: { platform: "1" }, buttons: "x" },
          { rule: { tag: "VIP" }, buttons: "y" },
        ],
        templates: [TEMPLATES[0], TEMPLATES[2]].filter((template) => template !== undefined),
        industry: [1, 2],
      },
      desired: {
        industry: [13, 2],
        tags: [
          { name: "VIP", members: ["o2", "o3"] },
          { name: "上海", previously: ["测试"] },
        ],
        templates: [TEMPLATES[1], TEMPLATES[3]].filter((template) => template !== undefined),
        menu: "m3",
        conditional: [
          { rule: { tag: "上海" }, buttons: "x" },
          { rule: { platform: "2" }, buttons: "y" },
        ],
        prune: { tags: true, templates: true },
      },
    },
  ],
];

/**
 * What teams script today, run on the same emulator: push the whole default menu, delete every conditional
 * menu and add the file's again, every run. Returns its writes, and after how many of them some
 * conditional menu of the file was missing (followers it matches saw the default menu meanwhile).
 */
async function naiveSync(emulator: Emulator, scenario: Scenario): Promise<{ writes: number; exposed: number }> {
  const call = async (path: string, body: object, token?: string) => {
    const url = `${emulator.url}${path}${token ? `?access_token=${token}` : ""}`;
    return (await (await fetch(url, { method: "POST", body: JSON.stringify(body) })).json()) as Record<string, unknown>;
  };
  const { access_token: token } = (await call("/cgi-bin/stable_token", {
    grant_type: "client_credential",
    appid: emulator.appId,
    secret: emulator.appSecret,
  })) as { access_token: string };
  const wanted = scenario.desired.conditional ?? [];
  let writes = 0;
  let exposed = 0;
  const wrote = async (path: string, body: object) => {
    const answer = await call(path, body, token);
    if (Number(answer.errcode ?? 0) !== 0) throw new Error(`naive sync: ${path} answered ${String(answer.errcode)}`);
    writes++;
    if (emulator.account.conditional.length < wanted.length) exposed++;
  };
  await wrote("/cgi-bin/menu/create", { button: MENUS[scenario.desired.menu as string] });
  for (const menu of [...emulator.account.conditional]) await wrote("/cgi-bin/menu/delconditional", { menuid: String(menu.menuid) });
  // The last added matches first: add from the lowest precedence up.
  for (const menu of [...wanted].reverse())
    await wrote("/cgi-bin/menu/addconditional", { button: BUTTONS[menu.buttons], matchrule: { client_platform_type: menu.rule.platform } });
  return { writes, exposed };
}

async function apiCalls(): Promise<void> {
  const section = "2. Write calls of apply, against the minimum";
  for (const [name, scenario] of SCENARIOS) {
    const emulator = await startEmulator({ state: seedOf(scenario) });
    const dir = workdir({ "wxconf.yaml": header + fileOf(scenario.desired) });
    try {
      const result = await wxconf(["apply", "--auto-approve", "--allow-destroy"], emulator, dir);
      if (result.code !== 0) throw new Error(`apply failed in scenario '${name}'`);
      const writes = emulator.calls().writes;
      const minimum = minimumWrites(scenario);
      figures[`writes_${name.replace(/\W+/g, "_")}`] = writes;
      record(section, name, `${writes} (minimum ${minimum})`, "= minimum", writes === minimum);
    } finally {
      await emulator.close();
    }
    // The naive sync, for menus only (its scripts know no tags): on a fresh copy of the same account.
    const { desired } = scenario;
    const menusOnly = desired.menu !== null && !desired.tags && !desired.templates && desired.conditional?.every((menu) => menu.rule.tag === undefined);
    if (!menusOnly) continue;
    const naive = await startEmulator({ state: seedOf(scenario) });
    try {
      const { writes, exposed } = await naiveSync(naive, scenario);
      record(
        section,
        `${name}: a naive sync (push the menu, delete and re-add conditional menus)`,
        `${writes} writes (wxconf ${String(figures[`writes_${name.replace(/\W+/g, "_")}`])}); conditional menus missing after ${exposed} of them`,
      );
    } finally {
      await naive.close();
    }
  }
}

// 3 ---------------------------------------------------------------------------------------------------
async function scale(): Promise<void> {
  const section = "3. Scale: one tag, declared members differ by 5% (no latency)";
  const times: number[] = [];
  for (const size of [10_000, 50_000, 100_000, 1_000_000]) {
    const live = openids(size, "oFollower");
    const changed = size / 20;
    const desired = [...live.slice(changed), ...openids(changed, "oNewcomer")];
    const emulator = await startEmulator({
      state: { followers: [...live, ...openids(changed, "oNewcomer")], tags: [{ id: 100, name: "big", members: live }] },
    });
    const dir = workdir({ "wxconf.yaml": `${header}tags:\n  - name: big\n    members:\n${desired.map((openid) => `      - ${openid}\n`).join("")}` });
    try {
      const results: Array<{ ms: number; peakKb?: number; cpuMs?: number }> = [];
      for (let index = 0; index < RUNS; index++) results.push(await wxconf(["plan", "--format", "json"], emulator, dir));
      const ms = median(results.map((result) => result.ms));
      const cpu = median(results.map((result) => result.cpuMs ?? Number.NaN));
      const peak = median(results.map((result) => result.peakKb ?? Number.NaN)) / 1024;
      times.push(Number.isFinite(cpu) ? cpu : ms);
      figures[`scale_${size}_ms`] = Math.round(ms);
      if (Number.isFinite(cpu)) figures[`scale_${size}_cpu_ms`] = Math.round(cpu);
      if (Number.isFinite(peak)) figures[`scale_${size}_peak_mb`] = Math.round(peak);
      // The wall time includes the emulator's pages, served from this process; the CPU time is wxconf's own.
      const targets = new Map<number, { wall?: number; cpu?: number; mb: number }>([
        [100_000, { wall: 2000, mb: 200 }],
        [1_000_000, { cpu: 3000, mb: 400 }],
      ]);
      const target = targets.get(size);
      const label = `${size.toLocaleString("en")} members`;
      record(
        section,
        `${label}: plan time (wall)`,
        `${Math.round(ms)} ms`,
        target?.wall ? `< ${target.wall} ms` : "",
        target?.wall ? ms < target.wall : undefined,
      );
      record(
        section,
        `${label}: wxconf's CPU time (user + system)`,
        Number.isFinite(cpu) ? `${Math.round(cpu)} ms` : "n/a (no GNU time)",
        target?.cpu ? `< ${target.cpu} ms` : "",
        target?.cpu && Number.isFinite(cpu) ? cpu < target.cpu : undefined,
      );
      const mbTarget = target?.mb;
      record(
        section,
        `${label}: peak memory`,
        Number.isFinite(peak) ? `${Math.round(peak)} MB` : "n/a (no GNU time)",
        mbTarget ? `< ${mbTarget} MB` : "",
        mbTarget && Number.isFinite(peak) ? peak < mbTarget : undefined,
      );
    } finally {
      await emulator.close();
    }
  }
  // Linear growth: each added 10 000 members costs about the same, whatever the size.
  const [t10, t50, t100, t1m] = times;
  const early = ((t50 ?? 0) - (t10 ?? 0)) / 4;
  const late = ((t100 ?? 0) - (t50 ?? 0)) / 5;
  const million = ((t1m ?? 0) - (t100 ?? 0)) / 90;
  figures.scale_ms_per_10k_early = Math.round(early);
  figures.scale_ms_per_10k_late = Math.round(late);
  figures.scale_ms_per_10k_million = Math.round(million);
  record(
    section,
    `added ${GNU_TIME ? "CPU " : ""}time per 10,000 members: 10k to 50k, 50k to 100k, 100k to 1M`,
    `${Math.round(early)} ms, ${Math.round(late)} ms, ${Math.round(million)} ms`,
    "about equal (linear)",
    late <= early * 2 && million <= early * 2,
  );

  const tags = Array.from({ length: 100 }, (_, index) => ({ id: 100 + index, name: `标签${index}`, members: openids(100, `oT${index}_`) }));
  const emulator = await startEmulator({ state: { tags } });
  const dir = workdir({
    "wxconf.yaml": `${header}tags:\n${tags.map((tag) => `  - name: ${tag.name}\n    members: [${tag.members.slice(1).join(", ")}]\n`).join("")}`,
  });
  try {
    const ms = await medianOf(RUNS, () => wxconf(["plan", "--format", "json"], emulator, dir));
    figures.scale_100_tags_ms = Math.round(ms);
    record("3. Scale: one tag, declared members differ by 5% (no latency)", "100 tags x 100 members, one removed from each: plan time", `${Math.round(ms)} ms`);
  } finally {
    await emulator.close();
  }
}

// 5 ---------------------------------------------------------------------------------------------------
/** Sequential round trips in a call log: a call starts a new one when it arrives after every answer so far. */
function roundTrips(calls: ReadonlyArray<{ receivedMs: number; answeredMs?: number }>): number {
  let trips = 0;
  let lastAnswer = Number.NEGATIVE_INFINITY;
  for (const call of [...calls].sort((a, b) => a.receivedMs - b.receivedMs)) {
    if (call.receivedMs >= lastAnswer) trips++;
    lastAnswer = Math.max(lastAnswer, call.answeredMs ?? call.receivedMs);
  }
  return trips;
}

async function applies(): Promise<void> {
  const section = "5. Apply (100 ms per answer)";
  const latency = 100;
  // 200 independent writes: tagging 10 000 followers, 50 a call (no read before each, unlike a create).
  const count = 200;
  const members = openids(count * 50, "oMember");
  const state: EmulatorSeed = { followers: members, tags: [{ id: 100, name: "VIP" }] };
  const file = `${header}tags:\n  - name: VIP\n    members:\n${members.map((openid) => `      - ${openid}\n`).join("")}`;
  const results: Record<number, number> = {};
  for (const parallelism of [1, 8, 32]) {
    const times: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const emulator = await startEmulator({ state, latencyMs: latency });
      const dir = workdir({ "wxconf.yaml": file });
      try {
        const result = await wxconf(["apply", "--auto-approve", "--write-parallelism", String(parallelism)], emulator, dir);
        if (result.code !== 0) throw new Error("the tagging apply failed");
        times.push(result.ms);
      } finally {
        await emulator.close();
      }
    }
    results[parallelism] = median(times);
    figures[`apply_${count}_renames_p${parallelism}_ms`] = Math.round(median(times));
  }
  // The floor: token, tags/get, the member page, the writes in waves of `parallelism`, the two reads of verification.
  const floor = (parallelism: number) => (5 + Math.ceil(count / parallelism)) * latency;
  for (const parallelism of [1, 8, 32]) {
    const ms = results[parallelism] ?? 0;
    record(
      section,
      `${count} independent writes (batch tagging), --write-parallelism ${parallelism}`,
      `${(ms / 1000).toFixed(1)} s (${(ms / floor(parallelism)).toFixed(2)}x its floor of ${(floor(parallelism) / 1000).toFixed(1)} s)`,
      parallelism === 8 ? "<= 3x floor" : "",
      parallelism === 8 ? ms <= 3 * floor(parallelism) : undefined,
    );
  }
  record(section, "speed-up of --write-parallelism 8 over 1", `${((results[1] ?? 0) / (results[8] ?? 1)).toFixed(1)}x`);

  // One change in a file that manages every kind: every call of the run, and its sequential round trips;
  // once without declared members, once with, since a tag's member page needs its id from tags/get first.
  const followers = openids(20, "oF");
  const seeded: EmulatorSeed = {
    followers,
    industry: { primary: 1, secondary: 2 },
    tags: [{ id: 100, name: "VIP", members: followers.slice(0, 10) }],
    templates: [{ template_id_short: "47123", keywords: ["订单号", "发货时间"] }],
    menu: { button: [{ name: "今日歌曲", type: "click", key: "A" }] },
    conditional_menus: [{ matchrule: { tag_id: "100" }, button: [{ name: "会员", type: "click", key: "V" }] }],
  };
  const everyKind = (tag: string) => `${header}industry: { primary: 1, secondary: 2 }
tags:
  - ${tag}
templates:
  order: { template_id_short: "47123", title: 订单发货通知, keywords: [订单号, 发货时间] }
menu:
  button: [{ name: 明日歌曲, type: click, key: A }]
conditional_menus:
  - { name: vip, matchrule: { tag: VIP }, button: [{ name: 会员, type: click, key: V }] }
`;
  const scenarios: Array<[label: string, key: string, tag: string]> = [
    ["one change, every kind managed", "one_change", "{ name: VIP }"],
    ["one change, every kind managed, a tag's members declared", "one_change_members", `{ name: VIP, members: [${followers.slice(0, 10).join(", ")}] }`],
  ];
  for (const [label, key, tag] of scenarios) {
    const emulator = await startEmulator({ state: seeded, latencyMs: latency });
    try {
      const dir = workdir({ "wxconf.yaml": everyKind(tag) });
      const result = await wxconf(["apply", "--auto-approve"], emulator, dir);
      if (result.code !== 0) throw new Error(`the apply of '${label}' failed`);
      const log = emulator.calls();
      const trips = roundTrips(log.calls);
      Object.assign(figures, { [`${key}_calls`]: log.total, [`${key}_writes`]: log.writes, [`${key}_round_trips`]: trips });
      record(section, `${label}: calls (writes)`, `${log.total} (${log.writes})`, "<= 7", log.total <= 7);
      record(section, `${label}: sequential round trips`, String(trips), "<= 4", trips <= 4);
      record(
        section,
        `${label}: calls by API`,
        Object.entries(log.byPath)
          .map(([path, calls]) => `${path.replace("/cgi-bin/", "")} ${calls}`)
          .join(", "),
      );
    } finally {
      await emulator.close();
    }
  }
}

// 6 ---------------------------------------------------------------------------------------------------
async function fleets(): Promise<void> {
  const section = "6. Fleet: plan many accounts in one run (100 ms per answer)";
  const latency = 100;
  const appId = (index: number) => `wx${index.toString(16).padStart(16, "0")}`;
  const account = (index: number) =>
    `version: 1\naccount:\n  app_id: ${appId(index)}\ntags:\n  - name: VIP\nmenu:\n  button: [{ name: a, type: click, key: K }]\n`;
  /** `count` accounts in one emulator, a file for each in one folder, and each one's secret in the environment. */
  const fleetOf = async (count: number) => {
    const accounts: EmulatorSeed[] = Array.from({ length: count }, (_, offset) => ({
      app_id: appId(offset + 1),
      app_secret: `secret-${offset + 1}-0123456789`,
      tags: [{ name: "VIP" }],
    }));
    const emulator = await startEmulator({ state: { accounts }, latencyMs: latency });
    const files: Record<string, string> = {};
    for (let index = 1; index <= count; index++) files[`account-${index}.yaml`] = account(index);
    const env: Record<string, string> = { WXCONF_API_BASE: emulator.url };
    for (let index = 1; index <= count; index++) env[`WXCONF_APP_SECRET_${appId(index)}`] = `secret-${index}-0123456789`;
    return { emulator, dir: workdir(files), env };
  };
  const results: Record<number, { ms: number; mb: number }> = {};
  for (const count of [1, 10, 50, 200]) {
    const { emulator, dir, env } = await fleetOf(count);
    try {
      const samples: Array<{ ms: number; peakKb?: number }> = [];
      for (let run = 0; run < RUNS; run++) {
        const result = await timed([process.execPath, CLI, "plan", "-c", count === 1 ? "account-1.yaml" : dir, "--format", "json"], env, dir);
        if (result.code !== 0) throw new Error(`the fleet plan of ${count} accounts exited with ${result.code}`);
        samples.push(result);
      }
      results[count] = { ms: median(samples.map((sample) => sample.ms)), mb: median(samples.map((sample) => sample.peakKb ?? Number.NaN)) / 1024 };
      figures[`fleet_${count}_ms`] = Math.round(results[count].ms);
    } finally {
      await emulator.close();
    }
  }
  // The same 50 accounts, all at once: what the default of 10 at a time costs.
  {
    const count = 50;
    const { emulator, dir, env } = await fleetOf(count);
    try {
      const ms = await medianOf(RUNS, () => timed([process.execPath, CLI, "plan", "-c", dir, "--format", "json", "--parallelism", "50"], env, dir));
      figures.fleet_50_all_at_once_ms = Math.round(ms);
      record(section, "50 accounts, --parallelism 50", `${Math.round(ms)} ms (${(ms / (results[1]?.ms ?? 1)).toFixed(2)}x one account)`);
    } finally {
      await emulator.close();
    }
  }
  const single = results[1]?.ms ?? 1;
  for (const count of [10, 50, 200]) {
    const { ms, mb } = results[count] ?? { ms: 0, mb: Number.NaN };
    const target = count === 50;
    record(
      section,
      `${count} accounts: wall time`,
      `${Math.round(ms)} ms (${(ms / single).toFixed(2)}x one account's ${Math.round(single)} ms)`,
      target ? "<= 3x one account" : "",
      target ? ms <= 3 * single : undefined,
    );
    record(
      section,
      `${count} accounts: peak memory`,
      Number.isFinite(mb) ? `${Math.round(mb)} MB` : "n/a",
      target ? "< 300 MB" : "",
      target && Number.isFinite(mb) ? mb < 300 : undefined,
    );
  }
}

// 4 ---------------------------------------------------------------------------------------------------
async function startUp(): Promise<void> {
  const section = "4. Start-up";
  // Paired and interleaved: each round runs bare node, --version and validate in a rotating order, so a
  // noisy moment on this shared machine weighs on all three; the ratios are medians of per-round ratios.
  const rounds = RUNS * 2 + 1;
  const commands: Array<() => Promise<{ ms: number; code: number }>> = [
    () => timed([process.execPath, "-e", ""]),
    () => wxconf(["--version"]),
    () => wxconf(["validate", "-c", "examples/full.yaml"]),
  ];
  const times: number[][] = [[], [], []];
  for (let round = 0; round < rounds; round++) {
    for (let step = 0; step < commands.length; step++) {
      const index = (round + step) % commands.length;
      const result = await (commands[index] as () => Promise<{ ms: number; code: number }>)();
      if (result.code !== 0) throw new Error(`a measured run exited with ${result.code}`);
      (times[index] as number[]).push(result.ms);
    }
  }
  const [bareTimes, versionTimes, validateTimes] = times as [number[], number[], number[]];
  const ratio = (of: number[]) => median(of.map((ms, round) => ms / (bareTimes[round] as number)));
  const [bare, version, validate] = [median(bareTimes), median(versionTimes), median(validateTimes)];
  Object.assign(figures, { node_ms: Math.round(bare), version_ms: Math.round(version), validate_ms: Math.round(validate) });
  record(section, `node -e '' (${rounds} paired rounds)`, `${Math.round(bare)} ms`);
  record(section, "wxconf --version", `${Math.round(version)} ms (${ratio(versionTimes).toFixed(2)}x node)`);
  record(
    section,
    "wxconf validate -c examples/full.yaml",
    `${Math.round(validate)} ms (${ratio(validateTimes).toFixed(2)}x node)`,
    "<= 2x node",
    ratio(validateTimes) <= 2,
  );
}

function table(): string {
  const lines = ["| section | measure | value | target | met |", "|---|---|---|---|---|"];
  // Array.prototype.sort is stable: rows keep their order within a section.
  for (const row of [...rows].sort((a, b) => a.section.localeCompare(b.section)))
    lines.push(`| ${row.section} | ${row.measure} | ${row.value} | ${row.target} | ${row.met === undefined ? "" : row.met ? "yes" : "NO"} |`);
  return lines.join("\n");
}

async function main(): Promise<void> {
  if (!existsSync(CLI)) throw new Error("dist/bin/wxconf.cjs is missing: run 'npm ci' (or 'npm run build') first");
  process.stderr.write(`wxconf benchmarks: ${RUNS} runs per figure (medians); this takes about ten minutes…\n`);
  // --only=5 runs one section (its number).
  const only = process.argv.find((arg) => arg.startsWith("--only="))?.slice(7);
  const sections: Array<[string, () => Promise<void>]> = [
    ["4", startUp],
    ["1", criticalPath],
    ["2", apiCalls],
    ["3", scale],
    ["5", applies],
    ["6", fleets],
  ];
  for (const [number, run] of sections) if (only === undefined || only === number) await run();
  process.stdout.write(`${table()}\n`);
  if (JSON_FILE) {
    writeFileSync(JSON_FILE, `${JSON.stringify({ runs: RUNS, figures, rows }, null, 2)}\n`);
    process.stderr.write(`wrote ${JSON_FILE}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
