// How a live conditional menu reads in a plan: its rule for people, and the change that deletes it. The
// menu kind uses it too (menu/delete takes every conditional menu with it).
import type { JsonObject } from "../../json.js";
import { buttonsToJson, matchruleToJson } from "../../wechat/normalize.js";
import type { Placeholder } from "../../wechat/requests.js";
import { CLIENT_PLATFORM_TYPES, REMOVED_MATCHRULE_FIELDS } from "../../wechat/rules.js";
import type { LiveConditionalMenu, Matchrule } from "../../wechat/types.js";
import { addressOf, type Change } from "../kind.js";
import { buttonLines } from "./buttons.js";

/** "tag 测试人员 (id 101), iOS" for people; `named` is the tag's name in the file, when it names one. */
export function describeRule(rule: Matchrule, tagNames: ReadonlyMap<string, string>, named: { tagName?: string; pendingTag?: Placeholder } = {}): string {
  const parts: string[] = [];
  if (named.pendingTag) parts.push(`tag ${named.tagName ?? "?"} (id known after apply)`);
  else if (rule.tag_id !== undefined) parts.push(`tag ${named.tagName ?? tagNames.get(rule.tag_id) ?? "?"} (id ${rule.tag_id})`);
  if (rule.client_platform_type !== undefined) {
    parts.push(CLIENT_PLATFORM_TYPES[rule.client_platform_type as keyof typeof CLIENT_PLATFORM_TYPES] ?? `platform ${rule.client_platform_type}`);
  }
  const removed = REMOVED_MATCHRULE_FIELDS.filter((field) => rule[field] !== undefined).map((field) => `${field} ${rule[field]}`);
  if (removed.length > 0) parts.push(`${removed.join(", ")} (rules WeChat removed: the menu no longer matches anyone)`);
  return parts.join(", ") || "(empty rule)";
}

export function ruleJson(rule: Matchrule, pending?: Placeholder, tagName?: string): JsonObject {
  return { ...(tagName !== undefined && { tag: tagName }), ...matchruleToJson(rule), ...(pending && { tag_id: pending }) };
}

/** A live conditional menu that goes: its rule, its place and its buttons, for the reviewer. */
export function deletedMenuChange(
  menu: LiveConditionalMenu,
  reason: Pick<Change, "reason_code" | "reason_args">,
  tagNames: ReadonlyMap<string, string>,
  precedence: number,
): Change {
  return {
    address: addressOf("conditional_menu", `#${menu.menuid}`),
    kind: "conditional_menu",
    name: `#${menu.menuid}`,
    actions: ["delete"],
    ...reason,
    before: { menuid: menu.menuid, matchrule: ruleJson(menu.matchrule), button: buttonsToJson(menu.button), precedence },
    after: null,
    details: [
      { path: "matchrule", action: "delete", before: describeRule(menu.matchrule, tagNames) },
      { path: "precedence", action: "delete", before: precedence },
      ...buttonLines(menu.button, "delete"),
    ],
  };
}
