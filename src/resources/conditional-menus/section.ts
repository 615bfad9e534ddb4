// The `conditional_menus` section: menus for followers who match a rule, highest precedence first.
import { append } from "../../append.js";
import { problemAt, type RuleProblem } from "../../config/issues.js";
import { asArray, asObject, asString, type Loose } from "../../config/loose.js";
import { checkMedia } from "../menu/media.js";
import { checkMatchrule, checkMenuButtons, conditionalMenuDomains, MENU_LIMITS, RESERVED_TAGS, type RulePath } from "../../wechat/rules.js";
import type { MenuButton } from "../../wechat/types.js";
import { fromRuleIssue, truncatedNames } from "../menu/section.js";

export interface DesiredMatchrule {
  /** A tag by name, resolved to an id by the plan. */
  tag?: string;
  tag_id?: string;
  client_platform_type?: string;
}

export interface DesiredConditionalMenu {
  name: string;
  matchrule: DesiredMatchrule;
  button: MenuButton[];
}

declare module "../kind.js" {
  interface DesiredSections {
    /** Highest precedence first, as in the file. */
    conditional_menus?: DesiredConditionalMenu[];
  }
}

export function checkConditionalMenus(file: Readonly<Loose>): RuleProblem[] {
  const list = asArray(file.conditional_menus);
  const problems: RuleProblem[] = [];
  if (list.length > 0 && file.menu === null) {
    problems.push(
      problemAt(
        ["conditional_menus"],
        "conditional menus need a default menu (WeChat answers 65303), but 'menu' is null, which removes it: give 'menu' buttons or remove 'conditional_menus'",
      ),
    );
  }
  const rules = new Map<string, string>();
  const names = new Map<string, number>();
  list.forEach((menu, index) => {
    const fields = asObject(menu);
    if (!fields) return;
    const name = asString(fields.name) ?? `#${index + 1}`;
    const earlierName = names.get(name);
    if (earlierName !== undefined)
      problems.push(problemAt(["conditional_menus", index, "name"], `conditional menu name '${name}' is also used by menu ${earlierName + 1}`));
    names.set(name, index);
    if (Array.isArray(fields.button)) {
      const media = checkMedia(file, fields.button, ["conditional_menus", index, "button"]);
      append(problems, media.problems);
      append(problems, checkMenuButtons(media.buttons, ["conditional_menus", index, "button"]).map(fromRuleIssue));
      append(problems, truncatedNames(fields.button, ["conditional_menus", index, "button"]));
    }
    append(problems, checkConditionalMatchrule(fields.matchrule, ["conditional_menus", index, "matchrule"]));
    const rule = asObject(fields.matchrule);
    if (rule && (rule.tag !== undefined || rule.tag_id !== undefined || rule.client_platform_type !== undefined)) {
      const identity = JSON.stringify([
        rule.tag ?? null,
        rule.tag_id === undefined ? null : String(rule.tag_id),
        rule.client_platform_type === undefined ? null : String(rule.client_platform_type),
      ]);
      const earlier = rules.get(identity);
      if (earlier) {
        problems.push(
          problemAt(
            ["conditional_menus", index, "matchrule"],
            `'${name}' has the same matchrule as '${earlier}', which is listed first and so always wins: '${name}' would never be shown`,
          ),
        );
      } else {
        rules.set(identity, name);
      }
    }
  });
  const domains = conditionalMenuDomains(list.map((menu) => ({ button: asObject(menu)?.button })));
  if (domains.length > MENU_LIMITS.conditionalUrlDomains) {
    problems.push(
      problemAt(
        ["conditional_menus"],
        `conditional menus link to ${domains.length} URL domains (${domains.join(", ")}); WeChat allows ${MENU_LIMITS.conditionalUrlDomains} across all of them (65316)`,
      ),
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
    problems.push(
      problemAt(
        [...path, "tag_id"],
        `tag id ${systemGroup.id} is the system group ${systemGroup.name}, not a tag a menu can match (WeChat lists only 星标组, id 2, among its system tags)`,
      ),
    );
  }
  if (fields.tag !== undefined && fields.tag_id !== undefined) {
    problems.push(problemAt([...path, "tag_id"], "give the tag either by name ('tag') or by id ('tag_id'), not both"));
  }
  // WeChat's check takes tag_id; a tag by name stands in for it here (the plan resolves it).
  const { tag, ...rest } = fields;
  const asWeChat = tag === undefined ? rest : { ...rest, tag_id: "by-name" };
  append(
    problems,
    checkMatchrule(asWeChat, path).map((issue) => problemAt(issue.path, issue.message)),
  );
  return problems;
}

export function conditionalMenusFromFile(file: Readonly<Loose>): { conditional_menus?: DesiredConditionalMenu[] } {
  const menus = file.conditional_menus as
    | Array<{ name: string; matchrule: { tag?: string; tag_id?: string | number; client_platform_type?: string | number }; button: MenuButton[] }>
    | undefined;
  if (!menus) return {};
  return {
    conditional_menus: menus.map((menu) => ({
      name: menu.name,
      matchrule: {
        ...(menu.matchrule.tag !== undefined && { tag: menu.matchrule.tag }),
        ...(menu.matchrule.tag_id !== undefined && { tag_id: String(menu.matchrule.tag_id) }),
        ...(menu.matchrule.client_platform_type !== undefined && { client_platform_type: String(menu.matchrule.client_platform_type) }),
      },
      button: menu.button,
    })),
  };
}
