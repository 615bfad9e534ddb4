// Why a change is planned, in words: the plan carries a code and its values, the sentences live here.
import type { Json, JsonObject } from "../json.js";
import type { Change } from "../plan/model.js";

type Args = Readonly<JsonObject>;
const list = (value: Json | undefined): Json[] => (Array.isArray(value) ? value : []);
const text = (value: Json | undefined): string =>
  value === undefined || value === null ? "?" : typeof value === "object" ? JSON.stringify(value) : String(value);

const SENTENCES: Record<string, (args: Args) => string> = {
  // the industry
  industry_unset: () => "the account has no template industry yet",
  industry_changed: (args) =>
    `the file sets ${list(args.slots)
      .map((slot) => (slot && typeof slot === "object" && !Array.isArray(slot) ? `${text(slot.slot)} ${text(slot.code)} (${text(slot.label)})` : text(slot)))
      .join(" and ")}`,
  // tags
  tag_missing: (args) => {
    const previously = list(args.previously).map(text);
    return `the file lists it and the account has no tag by this name${previously.length ? ` or by a previous name (${previously.join(", ")})` : ""}`;
  },
  renamed: (args) =>
    `renamed from ${text(args.from)} (the same id ${text(args.id)} and its ${text(args.followers)} follower(s) are kept)${args.members_differ === true ? "; its members differ from the file's list" : ""}`,
  members_differ: () => "its members differ from the file's list",
  tag_pruned: (args) => `not in the file, and prune.tags is true; ${text(args.followers)} follower(s) lose the tag`,
  // templates
  template_missing: () => "no template on the account has this title and these keywords",
  industry_deletes: (args) => `the industry change deletes its template (${text(args.template_id)}): add it again`,
  duplicate: (args) => `a duplicate of ${text(args.of)} (${text(args.template_id)}): the same title and keywords, so the account keeps one`,
  template_pruned: () => "no binding in the file matches it, and prune.templates is true",
  // subscription notifications
  subscription_missing: () => "no subscription template on the account has this title and these keywords",
  subscription_pruned: () => "no binding in the file matches it, and prune.subscriptions is true",
  // assets
  asset_missing: (args) => `the account has no image named ${String(args.filename)}`,
  asset_changed: (args) => `the file changed: ${String(args.filename)} is a new upload (the account has ${String(args.previous)})`,
  asset_pruned: () => "an earlier upload no asset of the file uses, and prune.assets is true",
  asset_duplicate: (args) => `a second upload of ${String(args.filename)} (two applies at once): ${String(args.of)} keeps one`,
  // the default menu
  menu_missing: () => "the account has no default menu",
  menu_null: () => "the file sets menu: null; WeChat has no call that deletes only the default menu, so every conditional menu goes with it",
  buttons_changed: (args) => `${text(args.changed)} button change(s); WeChat replaces the whole menu in one call (menu/create)`,
  buttons_reordered: () => "the buttons' order changed; WeChat replaces the whole menu in one call (menu/create)",
  console_menu_replaced: (args) =>
    `the account shows a menu published in the MP console (menu/get cannot see it); menu/create replaces it${Number(args.unmakeable) > 0 ? `, and ${text(args.unmakeable)} of its buttons are of types the API cannot make` : ""}`,
  deleted_with_default_menu: () => "deleted with the default menu: menu/delete removes every conditional menu (no call of its own)",
  // conditional menus
  conditional_missing: () => "the account has no conditional menu with this rule",
  cannot_update: () => "conditional menus cannot be updated: its buttons changed",
  precedence_moved: (args) =>
    `it moves from precedence ${text(args.from)} to ${text(args.to)}, and conditional menus cannot be reordered: it is deleted and added again`,
  below_changed: () => "a menu below it is added or replaced, and conditional menus cannot be reordered: it is deleted and added again to stay above it",
  conditional_not_in_file: (args) => `not in the file (${text(args.rule)})`,
};

/** The sentence for a change's reason; a code this version does not know is shown as it is, with its values. */
export function reasonText(change: Pick<Change, "reason_code" | "reason_args">): string {
  const sentence = SENTENCES[change.reason_code];
  if (sentence) return sentence(change.reason_args ?? {});
  return change.reason_args ? `${change.reason_code} ${JSON.stringify(change.reason_args)}` : change.reason_code;
}

/** The codes that have sentences: the plan schema's list, checked by the tests. */
export const REASON_CODES = Object.keys(SENTENCES);
