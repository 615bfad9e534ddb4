// Scenarios of a live account and a desired file, and the fewest write calls that turn one into the other,
// computed from WeChat's rules and the design's planning rules directly: an oracle independent of
// wxconf's planner, shared by the benchmark (API calls) and the property test.
import { stringify } from "yaml";
import type { EmulatorSeed } from "../src/emulator/account.js";

/** Followers, menus, buttons and templates scenarios are made of. */
export const FOLLOWERS = ["o0", "o1", "o2", "o3", "o4", "o5"];
export const TAG_POOL = ["VIP", "测试", "北京", "上海", "广州"];
export const MENUS: Record<string, unknown[]> = {
  m1: [{ name: "a", type: "click", key: "A" }],
  m2: [{ name: "a", type: "click", key: "A2" }],
  m3: [
    { name: "b", sub_button: [{ name: "b1", type: "click", key: "B1" }] },
    { name: "a", type: "click", key: "A" },
  ],
};
export const BUTTONS: Record<string, unknown[]> = { x: [{ name: "x", type: "click", key: "X" }], y: [{ name: "y", type: "click", key: "Y" }] };
export const TEMPLATES: ScenarioTemplate[] = [
  { short: "47123", title: "订单发货通知", keywords: ["订单号", "发货时间"], industry: 1 },
  { short: "47123", title: "订单发货通知", keywords: ["订单号"], industry: 1 },
  { short: "43216", title: "收款成功通知", keywords: ["收款金额"], industry: 1 },
  { short: "41855", title: "预约成功通知", keywords: ["预约项目"], industry: 2 },
];
export const INDUSTRIES: Array<[number, number]> = [
  [1, 2],
  [13, 2],
];

export interface ScenarioTag {
  name: string;
  previously?: string[];
  members?: string[];
}
export interface ScenarioTemplate {
  short: string;
  title: string;
  keywords: string[];
  industry: number;
}
export interface ScenarioConditional {
  /** A platform ("1") or a tag by name. */
  rule: { platform?: string; tag?: string };
  buttons: string;
}
export interface Scenario {
  /** The account's followers (FOLLOWERS when absent). */
  followers?: string[];
  live: {
    tags: Array<{ name: string; members: string[] }>;
    menu: string | null;
    conditional: ScenarioConditional[]; // oldest first
    templates: ScenarioTemplate[];
    industry: [number, number] | null;
  };
  desired: {
    tags?: ScenarioTag[];
    menu: string | null;
    conditional?: ScenarioConditional[]; // highest precedence first
    templates?: ScenarioTemplate[];
    industry?: [number, number];
    prune: { tags: boolean; templates: boolean };
  };
}

const batches = (count: number) => Math.ceil(count / 50);

/** Live tag name that each desired tag ends up as: its own name, else the first unclaimed previous name. */
function tagMatches(desired: ScenarioTag[], live: Array<{ name: string }>): Map<string, string | undefined> {
  const claimed = new Set<string>();
  const result = new Map<string, string | undefined>();
  for (const tag of desired) {
    if (live.some((candidate) => candidate.name === tag.name)) {
      claimed.add(tag.name);
      result.set(tag.name, tag.name);
    }
  }
  for (const tag of desired) {
    if (result.has(tag.name)) continue;
    const previous = (tag.previously ?? []).find((name) => live.some((candidate) => candidate.name === name) && !claimed.has(name));
    if (previous) claimed.add(previous);
    result.set(tag.name, previous);
  }
  return result;
}

export function minimumWrites(scenario: Scenario): number {
  const { live, desired } = scenario;
  let calls = 0;

  const industryChanges = desired.industry !== undefined && (live.industry === null || live.industry.join() !== desired.industry.join());
  if (industryChanges) calls++;

  const matches = tagMatches(desired.tags ?? [], live.tags);
  if (desired.tags) {
    for (const tag of desired.tags) {
      const liveName = matches.get(tag.name);
      const current = live.tags.find((candidate) => candidate.name === liveName);
      if (!current) {
        calls += 1 + batches(tag.members?.length ?? 0);
        continue;
      }
      if (liveName !== tag.name) calls++;
      if (tag.members) {
        calls += batches(tag.members.filter((openid) => !current.members.includes(openid)).length);
        calls += batches(current.members.filter((openid) => !tag.members?.includes(openid)).length);
      }
    }
    const kept = new Set(matches.values());
    if (desired.prune.tags) calls += live.tags.filter((tag) => !kept.has(tag.name)).length;
  }

  if (desired.templates) {
    const industries = desired.industry ?? live.industry;
    const remaining =
      industryChanges && live.industry !== null ? live.templates.filter((template) => industries?.includes(template.industry)) : [...live.templates];
    const unclaimed = [...remaining];
    const same = (a: { title: string; keywords: string[] }, b: { title: string; keywords: string[] }) =>
      a.title === b.title && a.keywords.join() === b.keywords.join();
    const bound: ScenarioTemplate[] = [];
    for (const binding of desired.templates) {
      const index = unclaimed.findIndex((template) => same(template, binding));
      if (index >= 0) bound.push(...unclaimed.splice(index, 1));
      else calls++;
    }
    // A live copy of a bound template is deleted whatever prune says: each binding keeps exactly one.
    const duplicates = unclaimed.filter((template) => bound.some((kept) => same(kept, template)));
    calls += desired.prune.templates ? unclaimed.length : duplicates.length;
  }

  if (desired.menu === null) {
    if (live.menu !== null) calls++;
    return calls; // menu/delete takes the conditional menus with it
  }
  if (live.menu !== desired.menu) calls++;

  if (desired.conditional) {
    // A tag rule equals a live one only if it names a tag that exists already (under this name after apply).
    const existing = (name: string) => {
      const liveName = desired.tags ? matches.get(name) : name;
      return liveName !== undefined && live.tags.some((tag) => tag.name === liveName) ? liveName : undefined;
    };
    const key = (menu: ScenarioConditional, resolveTag: (name: string) => string | undefined) => {
      const tag = menu.rule.tag === undefined ? "" : resolveTag(menu.rule.tag);
      return tag === undefined ? undefined : `${menu.rule.platform ?? ""}|${tag}|${menu.buttons}`;
    };
    const wanted = [...desired.conditional].reverse().map((menu) => key(menu, existing));
    const have = live.conditional.map((menu) => key(menu, (name) => name));
    // The longest prefix of the wanted menus (oldest first) that the live ones contain in order.
    let kept = 0;
    for (const menu of have) if (kept < wanted.length && wanted[kept] !== undefined && menu === wanted[kept]) kept++;
    calls += live.conditional.length - kept + (desired.conditional.length - kept);
  }
  return calls;
}

/** The emulator's account for a scenario's live state. */
export function seedOf(scenario: Scenario): EmulatorSeed {
  const { live } = scenario;
  const tagId = (name: string) => 100 + live.tags.findIndex((tag) => tag.name === name);
  return {
    followers: scenario.followers ?? FOLLOWERS,
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

/** The sections of a wxconf.yaml for a scenario's desired state (after version and account). */
export function fileOf(desired: Scenario["desired"]): string {
  return stringify({
    ...(desired.industry && { industry: { primary: desired.industry[0], secondary: desired.industry[1] } }),
    ...(desired.tags && { tags: desired.tags }),
    ...(desired.templates && {
      templates: Object.fromEntries(
        desired.templates.map((template, index) => [`t${index}`, { template_id_short: template.short, title: template.title, keywords: template.keywords }]),
      ),
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
