import type { DesiredConditionalMenu, DesiredState } from "../config/types.js";
import { canonicalJson, type JsonObject } from "../json.js";
import { addressOf, type Change, type Detail } from "../plan/model.js";
import { buttonsToJson, cleanButtons, matchruleToJson, normalizeMatchrule } from "../wechat/normalize.js";
import { WeChatError } from "../wechat/errors.js";
import { isPlaceholder, requests, type Placeholder } from "../wechat/requests.js";
import { CLIENT_PLATFORM_TYPES, REMOVED_MATCHRULE_FIELDS } from "../wechat/rules.js";
import type { LiveConditionalMenu, Matchrule, MenuButton } from "../wechat/types.js";
import { APPLIED, emptyKindPlan, NOT_APPLIED, PHASE, type KindPlan, type LiveState, type PlanContext, type ResourceModule, type StepDraft } from "./kind.js";
import { buttonLines, diffButtons, sameButtons } from "./buttons.js";
import { append } from "../append.js";

/** A conditional menu as WeChat would hold it: the matchrule resolved to ids (or a placeholder). */
interface Resolved {
  name: string;
  matchrule: Matchrule;
  /** A tag this plan creates: its id is known after apply. */
  pendingTag?: Placeholder;
  tagName?: string;
  button: MenuButton[];
  /** 1 = first in the file = wins. */
  precedence: number;
}

const content = (matchrule: Matchrule, button: readonly MenuButton[]) => canonicalJson({ matchrule: matchruleToJson(matchrule), button: buttonsToJson(button) });
const ruleOnly = (matchrule: Matchrule, pending?: Placeholder) => canonicalJson({ ...matchruleToJson(matchrule), ...(pending && { tag_id: pending }) });

function resolve(menus: readonly DesiredConditionalMenu[], context: PlanContext, liveTags: LiveState["tags"], problems: string[]): Resolved[] {
  return menus.map((menu, index) => {
    const rule: Matchrule = {};
    let pendingTag: Placeholder | undefined;
    if (menu.matchrule.tag !== undefined) {
      const id = context.tagIds.get(menu.matchrule.tag);
      if (id === undefined) problems.push(`${addressOf("conditional_menu", menu.name)}: tag '${menu.matchrule.tag}' is neither in the file nor on the account`);
      else if (isPlaceholder(id)) pendingTag = id;
      else rule.tag_id = String(id);
    }
    if (menu.matchrule.tag_id !== undefined) {
      rule.tag_id = menu.matchrule.tag_id;
      // Without this check apply would delete the working menu, then fail to add this one (40050).
      if (liveTags && !liveTags.some((tag) => String(tag.id) === menu.matchrule.tag_id)) {
        problems.push(`${addressOf("conditional_menu", menu.name)}: matchrule.tag_id ${menu.matchrule.tag_id} is not a tag on the account (write 'tag: NAME' for a tag this file creates)`);
      }
    }
    if (menu.matchrule.client_platform_type !== undefined) rule.client_platform_type = menu.matchrule.client_platform_type;
    return {
      name: menu.name,
      matchrule: rule,
      ...(pendingTag && { pendingTag }),
      ...(menu.matchrule.tag !== undefined && { tagName: menu.matchrule.tag }),
      button: cleanButtons(menu.button),
      precedence: index + 1,
    };
  });
}

/** "tag 测试人员 (id 101), iOS" for people; `named` is the tag's name in the file, when it names one. */
function describeRule(rule: Matchrule, tagNames: ReadonlyMap<string, string>, named: Pick<Resolved, "tagName" | "pendingTag"> = {}): string {
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

function ruleJson(rule: Matchrule, pending?: Placeholder, tagName?: string): JsonObject {
  return { ...(tagName !== undefined && { tag: tagName }), ...matchruleToJson(rule), ...(pending && { tag_id: pending }) };
}

/** A live conditional menu that goes: its rule, its place and its buttons, for the reviewer. */
export function deletedMenuChange(menu: LiveConditionalMenu, reason: string, tagNames: ReadonlyMap<string, string>, precedence: number): Change {
  return {
    address: addressOf("conditional_menu", `#${menu.menuid}`),
    kind: "conditional_menu",
    name: `#${menu.menuid}`,
    actions: ["delete"],
    reason,
    before: { menuid: menu.menuid, matchrule: ruleJson(menu.matchrule), button: buttonsToJson(menu.button), precedence },
    after: null,
    details: [
      { path: "matchrule", action: "delete", before: describeRule(menu.matchrule, tagNames) },
      { path: "precedence", action: "delete", before: precedence },
      ...buttonLines(menu.button, "delete"),
    ],
  };
}

/**
 * Conditional menus cannot be edited and the newest matches first. The fewest calls that leave precedence
 * exactly as written: keep the longest run of live menus (oldest first) that already equal the file's
 * lowest-precedence menus in order, delete the other live menus, then add the rest, lowest precedence first.
 */
export function planConditionalCalls(live: readonly LiveConditionalMenu[], wantedOldestFirst: ReadonlyArray<{ key: string | undefined }>) {
  const kept: LiveConditionalMenu[] = [];
  const deleted: LiveConditionalMenu[] = [];
  let next = 0;
  for (const menu of live) {
    const key = content(menu.matchrule, menu.button);
    if (next < wantedOldestFirst.length && wantedOldestFirst[next]?.key === key) {
      kept.push(menu);
      next++;
    } else {
      deleted.push(menu);
    }
  }
  return { kept, deleted, firstAdded: next };
}

export const conditionalMenusModule: ResourceModule = {
  kind: "conditional_menu",
  managed: (desired: DesiredState) => desired.conditional_menus !== undefined,

  async read(desired, session) {
    // Tags resolve rules written by name, and name the tags of live menus in the plan. When no rule is
    // written by name, an account that may not read tags (48001) still gets a plan, with ids only.
    const byName = (desired.conditional_menus ?? []).some((menu) => menu.matchrule.tag !== undefined);
    const tags = byName ? session.tags() : session.tags().catch((error: unknown) => (error instanceof WeChatError && error.errcode === 48001 ? undefined : Promise.reject(error)));
    const [menu, tagList] = await Promise.all([session.menu(), tags]);
    return tagList ? { menu, tags: tagList } : { menu };
  },

  diff(desired: DesiredState, live: LiveState, context: PlanContext): KindPlan {
    const plan = emptyKindPlan();
    const current = live.menu?.conditional ?? [];
    const tagNames = new Map((live.tags ?? []).map((tag) => [String(tag.id), tag.name]));
    const liveAddress = (menu: LiveConditionalMenu) => addressOf("conditional_menu", `#${menu.menuid}`);
    const livePrecedence = (menu: LiveConditionalMenu) => current.length - current.indexOf(menu);

    // menu/delete takes every conditional menu with it; the menu module lists them.
    if (context.defaultMenu === "deleted") return plan;

    const wanted = resolve(desired.conditional_menus ?? [], context, live.tags, plan.problems);
    if (wanted.length > 0 && context.defaultMenu === "absent") {
      plan.problems.push("conditional menus need a default menu (WeChat answers 65303): the account has none and the file does not manage 'menu'; add a 'menu' section");
    }
    const oldestFirst = [...wanted].reverse();
    const { deleted, firstAdded } = planConditionalCalls(
      current,
      oldestFirst.map((menu) => ({ key: menu.pendingTag ? undefined : content(menu.matchrule, menu.button) })),
    );
    const added = oldestFirst.slice(firstAdded);

    // A deleted live menu with the same rule as an added one is that menu, replaced: show them as one change.
    const replaced = new Map<string, LiveConditionalMenu>();
    const unpaired = [...deleted];
    for (const menu of added) {
      const index = unpaired.findIndex((candidate) => ruleOnly(candidate.matchrule) === ruleOnly(menu.matchrule, menu.pendingTag));
      if (index >= 0) replaced.set(menu.name, unpaired.splice(index, 1)[0] as LiveConditionalMenu);
    }

    const deleteSteps: StepDraft[] = deleted.map((menu) => {
      const pairedWith = [...replaced.entries()].find(([, candidate]) => candidate === menu)?.[0];
      const address = pairedWith ? addressOf("conditional_menu", pairedWith) : liveAddress(menu);
      return { phase: PHASE.conditionalDelete, address, description: `delete conditional menu ${menu.menuid} (${describeRule(menu.matchrule, tagNames)})`, request: requests.deleteConditionalMenu(menu.menuid) };
    });
    const addSteps: StepDraft[] = added.map((menu) => {
      const address = addressOf("conditional_menu", menu.name);
      return {
        phase: PHASE.conditionalAdd,
        address,
        description: `add conditional menu ${menu.name} (${describeRule(menu.matchrule, tagNames, menu)}), precedence ${menu.precedence}`,
        request: requests.addConditionalMenu(menu.button, menu.matchrule, menu.pendingTag),
      };
    });

    for (const menu of wanted) {
      if (!added.includes(menu)) continue;
      const old = replaced.get(menu.name);
      const after = { matchrule: ruleJson(menu.matchrule, menu.pendingTag, menu.tagName), button: buttonsToJson(menu.button), precedence: menu.precedence };
      const address = addressOf("conditional_menu", menu.name);
      if (!old) {
        const details: Detail[] = [
          { path: "matchrule", action: "create", after: describeRule(menu.matchrule, tagNames, menu) },
          { path: "precedence", action: "create", after: menu.precedence },
          ...buttonLines(menu.button, "create"),
        ];
        plan.changes.push({ address, kind: "conditional_menu", name: menu.name, actions: ["create"], reason: "the account has no conditional menu with this rule", before: null, after, details });
        continue;
      }
      const unchanged = sameButtons(old.button, menu.button);
      const details: Detail[] = [];
      const oldPrecedence = livePrecedence(old);
      if (oldPrecedence !== menu.precedence || unchanged) details.push({ path: "precedence", action: "update", before: oldPrecedence, after: menu.precedence });
      if (!unchanged) details.push(...diffButtons(menu.button, old.button));
      const change: Change = {
        address,
        kind: "conditional_menu",
        name: menu.name,
        actions: ["delete", "create"],
        reason: !unchanged
          ? "conditional menus cannot be updated: its buttons changed"
          : oldPrecedence !== menu.precedence
            ? `it moves from precedence ${oldPrecedence} to ${menu.precedence}, and conditional menus cannot be reordered: it is deleted and added again`
            : "a menu below it is added or replaced, and conditional menus cannot be reordered: it is deleted and added again to stay above it",
        before: { menuid: old.menuid, matchrule: ruleJson(old.matchrule), button: buttonsToJson(old.button), precedence: oldPrecedence },
        after,
        details,
      };
      plan.changes.push(change);
    }

    for (const menu of unpaired) {
      plan.changes.push(deletedMenuChange(menu, `not in the file (${describeRule(menu.matchrule, tagNames)})`, tagNames, livePrecedence(menu)));
    }
    append(plan.steps, [...deleteSteps, ...addSteps]);
    if (deleted.length > 0 && added.length > 0) {
      plan.warnings.push("between the deletes and the adds of conditional menus (a few seconds), some followers may see the default menu or a lower-precedence one");
    }
    return plan;
  },

  fingerprint(live) {
    return Object.fromEntries(
      (live.menu?.conditional ?? []).map((menu) => [addressOf("conditional_menu", `#${menu.menuid}`), { matchrule: matchruleToJson(menu.matchrule), button: buttonsToJson(menu.button) }]),
    );
  },

  // After the deletes, no live menu has the content of one being added (matchrules are distinct in a
  // file), so a menu with this content now is the one added.
  async confirm(step, body, _change, read) {
    const { conditional } = await read.getMenu();
    if (step.endpoint === "menuDelConditional") return conditional.some((menu) => menu.menuid === String(body.menuid)) ? NOT_APPLIED : APPLIED;
    const key = content(normalizeMatchrule(body.matchrule), cleanButtons(body.button));
    const added = conditional.find((menu) => content(menu.matchrule, menu.button) === key);
    return added ? { applied: true, answer: { menuid: added.menuid } } : NOT_APPLIED;
  },
};
