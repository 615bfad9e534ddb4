// The second layer of validation: WeChat's own rules (src/wechat/rules.ts) and the file's consistency.
// Runs on data that may still have schema problems, so it reads defensively.
import {
  checkMatchrule,
  checkMenuButtons,
  checkTagName,
  conditionalMenuDomains,
  INDUSTRIES,
  MENU_LIMITS,
  RESERVED_TAGS,
  TAG_LIMITS,
  TEMPLATE_LIMITS,
  type RuleIssue,
  type RulePath,
} from "../wechat/rules.js";
import type { Path } from "./document.js";
import { isReference, SECRET_FIELDS } from "./interpolate.js";
import { append } from "../append.js";

export interface RuleProblem {
  path: Path;
  at: "key" | "value";
  message: string;
  /** Reported, but the file stays valid. */
  warning?: true;
}

type Loose = Record<string, unknown>;
const asObject = (value: unknown): Loose | undefined =>
  value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Loose) : undefined;
const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const asString = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

const value = (path: RulePath, message: string): RuleProblem => ({ path, at: "value", message });
const fromRuleIssue = (issue: RuleIssue): RuleProblem => ({ ...value(issue.path, issue.message), ...(issue.warning && { warning: true }) });

/** `raw` is the file before `${}` interpolation, for the checks about secrets. */
export function checkRules(data: unknown, raw: unknown): RuleProblem[] {
  const file = asObject(data) ?? {};
  return [
    ...checkSecret(asObject(raw)),
    ...checkIndustry(file.industry),
    ...checkTags(file.tags),
    ...checkTemplates(file.templates),
    ...checkMenu(file.menu),
    ...checkConditionalMenus(file.conditional_menus, file.menu),
  ];
}

function checkSecret(raw: Loose | undefined): RuleProblem[] {
  return SECRET_FIELDS.flatMap((path) => {
    const secret = asObject(raw?.[String(path[0])])?.[String(path[1])];
    if (typeof secret !== "string" || isReference(secret)) return [];
    return [
      value(
        path,
        `${path.join(".")} must be a reference like \${WECHAT_APP_SECRET}, not the secret itself: this file is reviewed and committed (or leave it out and set its WXCONF_ variable)`,
      ),
    ];
  });
}

function checkIndustry(industry: unknown): RuleProblem[] {
  const fields = asObject(industry);
  if (!fields) return [];
  const problems: RuleProblem[] = [];
  for (const slot of ["primary", "secondary"] as const) {
    const code = fields[slot];
    if (typeof code === "number" && !INDUSTRIES[code]) {
      problems.push(value(["industry", slot], `unknown industry code ${code}: WeChat's codes are 1 to ${Object.keys(INDUSTRIES).length} (see wxconf's README)`));
    }
  }
  if (typeof fields.primary === "number" && fields.primary === fields.secondary) {
    problems.push(value(["industry", "secondary"], "the secondary industry must differ from the primary one"));
  }
  return problems;
}

function checkTags(tags: unknown): RuleProblem[] {
  const list = asArray(tags);
  const problems: RuleProblem[] = [];
  if (list.length > TAG_LIMITS.maxTags) {
    problems.push(value(["tags"], `${list.length} tags are listed, WeChat allows ${TAG_LIMITS.maxTags} per account`));
  }
  const seen = new Map<string, string>();
  const claim = (name: string, path: RulePath, what: string) => {
    const earlier = seen.get(name);
    if (earlier) problems.push(value(path, `tag name '${name}' is used twice: ${what}, and ${earlier}`));
    else seen.set(name, what);
  };
  list.forEach((tag, index) => {
    const fields = asObject(tag);
    const name = asString(fields?.name);
    if (name === undefined) return;
    const invalid = checkTagName(name);
    if (invalid) problems.push(value(["tags", index, "name"], invalid.message));
    claim(name, ["tags", index, "name"], `the name of tag ${index + 1}`);
    asArray(fields?.previously).forEach((previous, previousIndex) => {
      if (typeof previous === "string") claim(previous, ["tags", index, "previously", previousIndex], `a previous name of '${name}'`);
    });
    append(problems, duplicates(asArray(fields?.members), ["tags", index, "members"], (openid) => `follower ${openid} is listed twice in '${name}'`));
  });
  return problems;
}

function duplicates(items: unknown[], path: RulePath, message: (item: string) => string): RuleProblem[] {
  const seen = new Set<string>();
  const problems: RuleProblem[] = [];
  items.forEach((item, index) => {
    if (typeof item !== "string") return;
    if (seen.has(item)) problems.push(value([...path, index], message(item)));
    seen.add(item);
  });
  return problems;
}

function checkTemplates(templates: unknown): RuleProblem[] {
  const bindings = Object.entries(asObject(templates) ?? {});
  const problems: RuleProblem[] = [];
  if (bindings.length > TEMPLATE_LIMITS.maxTemplates) {
    problems.push(value(["templates"], `${bindings.length} template bindings are listed, WeChat keeps at most ${TEMPLATE_LIMITS.maxTemplates} templates per account`));
  }
  const identities = new Map<string, string>();
  for (const [name, binding] of bindings) {
    const fields = asObject(binding);
    const title = asString(fields?.title);
    const keywords = asArray(fields?.keywords);
    if (title === undefined) continue;
    const identity = JSON.stringify([title, keywords]);
    const twin = identities.get(identity);
    if (twin) {
      problems.push(value(["templates", name], `bindings '${twin}' and '${name}' have the same title and keywords, so they would be the same template: keep one`));
    }
    identities.set(identity, name);
  }
  return problems;
}

function checkMenu(menu: unknown): RuleProblem[] {
  const fields = asObject(menu);
  if (!fields || !Array.isArray(fields.button)) return [];
  return checkMenuButtons(fields.button, ["menu", "button"]).map(fromRuleIssue);
}

function checkConditionalMenus(menus: unknown, defaultMenu: unknown): RuleProblem[] {
  const list = asArray(menus);
  const problems: RuleProblem[] = [];
  if (list.length > 0 && defaultMenu === null) {
    problems.push(
      value(["conditional_menus"], "conditional menus need a default menu (WeChat answers 65303), but 'menu' is null, which removes it: give 'menu' buttons or remove 'conditional_menus'"),
    );
  }
  const rules = new Map<string, string>();
  const names = new Map<string, number>();
  list.forEach((menu, index) => {
    const fields = asObject(menu);
    if (!fields) return;
    const name = asString(fields.name) ?? `#${index + 1}`;
    const earlierName = names.get(name);
    if (earlierName !== undefined) problems.push(value(["conditional_menus", index, "name"], `conditional menu name '${name}' is also used by menu ${earlierName + 1}`));
    names.set(name, index);
    if (Array.isArray(fields.button)) {
      append(problems, checkMenuButtons(fields.button, ["conditional_menus", index, "button"]).map(fromRuleIssue));
    }
    problems.push(...checkConditionalMatchrule(fields.matchrule, ["conditional_menus", index, "matchrule"]));
    const rule = asObject(fields.matchrule);
    if (rule && (rule.tag !== undefined || rule.tag_id !== undefined || rule.client_platform_type !== undefined)) {
      const identity = JSON.stringify([rule.tag ?? null, rule.tag_id === undefined ? null : String(rule.tag_id), rule.client_platform_type === undefined ? null : String(rule.client_platform_type)]);
      const earlier = rules.get(identity);
      if (earlier) {
        problems.push(value(["conditional_menus", index, "matchrule"], `'${name}' has the same matchrule as '${earlier}', which is listed first and so always wins: '${name}' would never be shown`));
      } else {
        rules.set(identity, name);
      }
    }
  });
  const domains = conditionalMenuDomains(list.map((menu) => ({ button: asObject(menu)?.button })));
  if (domains.length > MENU_LIMITS.conditionalUrlDomains) {
    problems.push(
      value(["conditional_menus"], `conditional menus link to ${domains.length} URL domains (${domains.join(", ")}); WeChat allows ${MENU_LIMITS.conditionalUrlDomains} across all of them (65316)`),
    );
  }
  return problems;
}

function checkConditionalMatchrule(matchrule: unknown, path: RulePath): RuleProblem[] {
  const fields = asObject(matchrule);
  if (!fields) return [];
  const problems: RuleProblem[] = [];
  const tagId = fields.tag_id === undefined ? undefined : Number(fields.tag_id);
  const systemGroup = RESERVED_TAGS.find((tag) => tag.id === tagId && !tag.listed);
  if (systemGroup) {
    problems.push(value([...path, "tag_id"], `tag id ${systemGroup.id} is the system group ${systemGroup.name}, not a tag a menu can match (WeChat lists only 星标组, id 2, among its system tags)`));
  }
  if (fields.tag !== undefined && fields.tag_id !== undefined) {
    problems.push(value([...path, "tag_id"], "give the tag either by name ('tag') or by id ('tag_id'), not both"));
  }
  // WeChat's check takes tag_id; a tag by name stands in for it here (the plan resolves it).
  const { tag, ...rest } = fields;
  const asWeChat = tag === undefined ? rest : { ...rest, tag_id: "by-name" };
  problems.push(...checkMatchrule(asWeChat, path).map((issue) => value(issue.path, issue.message)));
  return problems;
}
