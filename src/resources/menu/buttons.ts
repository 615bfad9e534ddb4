// Buttons as people review them: one line per button, and button-level differences between two menus.
import deepDiff from "deep-diff";
import { canonicalJson, type Json } from "../../json.js";
import type { Detail } from "../kind.js";
import { buttonsToJson } from "../../wechat/normalize.js";
import { BUTTON_FIELDS } from "../../wechat/rules.js";
import type { MenuButton } from "../../wechat/types.js";

export function sameButtons(a: readonly MenuButton[], b: readonly MenuButton[]): boolean {
  return canonicalJson(buttonsToJson(a)) === canonicalJson(buttonsToJson(b));
}

/** A leaf's attributes as one line: "type view, url https://…". */
export function describeButton(button: MenuButton): string {
  if (button.sub_button?.length) return `sub-menu of ${button.sub_button.length}: ${button.sub_button.map((child) => child.name).join(", ")}`;
  const fields = BUTTON_FIELDS.filter((field) => button[field] !== undefined).map((field) => `${field} ${button[field]}`);
  return [`type ${button.type ?? "(none)"}`, ...fields].join(", ");
}

/** Click (and other event) keys of buttons -> the button's name: what the message server must answer. */
export function keysOf(buttons: readonly MenuButton[], into: Record<string, string> = {}): Record<string, string> {
  for (const button of buttons) {
    if (button.key !== undefined) into[button.key] = button.name;
    if (button.sub_button) keysOf(button.sub_button, into);
  }
  return into;
}

/** Every button as a detail line ("服务 > 官网: type view, url …"), sub buttons under their parent. */
export function buttonLines(buttons: readonly MenuButton[], action: "create" | "delete", parent: readonly string[] = []): Detail[] {
  return buttons.flatMap((button) => {
    const path = [...parent, button.name].join(" > ");
    if (button.sub_button?.length) return buttonLines(button.sub_button, action, [...parent, button.name]);
    return [action === "create" ? { path, action, after: describeButton(button) } : { path, action, before: describeButton(button) }];
  });
}

const attributes = (button: MenuButton): Record<string, string> => {
  const own: Record<string, string> = {};
  if (button.type !== undefined) own.type = button.type;
  for (const field of BUTTON_FIELDS) if (button[field] !== undefined) own[field] = button[field] as string;
  return own;
};

/**
 * Button-level differences, for people: buttons are matched by name within their parent, matched pairs
 * are compared attribute by attribute (deep-diff), the rest are added or removed, and a new order is shown.
 * WeChat still gets the whole menu in one call.
 */
export function diffButtons(desired: readonly MenuButton[], live: readonly MenuButton[], parent: readonly string[] = []): Detail[] {
  const details: Detail[] = [];
  const unmatched = [...live];
  const pairs: Array<[MenuButton, MenuButton]> = [];
  const here = (name: string) => [...parent, name].join(" > ");

  for (const wanted of desired) {
    const index = unmatched.findIndex((button) => button.name === wanted.name);
    if (index < 0) {
      details.push({ path: here(wanted.name), action: "create", after: describeButton(wanted) });
      continue;
    }
    const [current] = unmatched.splice(index, 1);
    pairs.push([wanted, current as MenuButton]);
  }
  for (const gone of unmatched) details.push({ path: here(gone.name), action: "delete", before: describeButton(gone) });

  for (const [wanted, current] of pairs) {
    for (const difference of deepDiff.diff(attributes(current), attributes(wanted)) ?? []) {
      const attribute = String(difference.path?.[0] ?? "");
      const before = difference.kind === "E" || difference.kind === "D" ? (difference.lhs as Json) : null;
      const after = difference.kind === "E" || difference.kind === "N" ? (difference.rhs as Json) : null;
      details.push({ path: here(wanted.name), action: "update", attribute, before, after });
    }
    if (wanted.sub_button?.length || current.sub_button?.length) {
      details.push(...diffButtons(wanted.sub_button ?? [], current.sub_button ?? [], [...parent, wanted.name]));
    }
  }

  const liveOrder = live.map((button) => button.name).filter((name) => pairs.some(([wanted]) => wanted.name === name));
  const desiredOrder = pairs.map(([wanted]) => wanted.name);
  if (canonicalJson(liveOrder) !== canonicalJson(desiredOrder)) {
    details.push({ path: parent.length ? parent.join(" > ") : "buttons", action: "update", attribute: "order", before: liveOrder, after: desiredOrder });
  }
  return details;
}
