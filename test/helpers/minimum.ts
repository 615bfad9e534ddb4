// The fewest write calls that turn a live state into a desired one, computed from WeChat's rules and the
// design's planning rules directly: an oracle for the property test, independent of wxconf's planner.

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
    const remaining = industryChanges && live.industry !== null ? live.templates.filter((template) => industries?.includes(template.industry)) : [...live.templates];
    const unclaimed = [...remaining];
    for (const binding of desired.templates) {
      const index = unclaimed.findIndex((template) => template.title === binding.title && template.keywords.join() === binding.keywords.join());
      if (index >= 0) unclaimed.splice(index, 1);
      else calls++;
    }
    if (desired.prune.templates) calls += unclaimed.length;
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
