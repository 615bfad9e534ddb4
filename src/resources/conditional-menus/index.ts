import { canonicalJson } from "../../json.js";
import { buttonsToJson, cleanButtons, matchruleToJson, normalizeMatchrule } from "../../wechat/normalize.js";
import { UNREADABLE_ERRCODES } from "../../wechat/errcodes.js";
import { WeChatError } from "../../wechat/errors.js";
import { isPlaceholder, requests, type Placeholder } from "../../wechat/requests.js";
import { CLIENT_PLATFORM_TYPES, REMOVED_MATCHRULE_FIELDS } from "../../wechat/rules.js";
import type { YAMLMap } from "yaml";
import { flowButtons, identifier, keyOf, mapAt, seqAt, unique } from "../yaml-doc.js";
import type { LiveConditionalMenu, Matchrule, MenuButton } from "../../wechat/types.js";
import {
  addressOf,
  APPLIED,
  defineKind,
  emptyKindPlan,
  NOT_APPLIED,
  type Change,
  type Detail,
  type KindPlan,
  type LiveState,
  type PlanFacts,
  type StepDraft,
  type DesiredState,
} from "../kind.js";
import { buttonLines, diffButtons, sameButtons } from "../menu/buttons.js";
import { deletedMenuChange, describeRule, ruleJson } from "../menu/conditional.js";
import { DEFAULT_MENU_STEP, truncationWarnings } from "../menu/index.js";
import { bindMedia, previewButtons, withAssetNames } from "../menu/media.js";
import { literalReferences, readReferences, referenceFindings } from "../menu/references.js";
import { tagCreateStep, tagUsers } from "../tags/index.js";

/** The group of every conditional-menu delete (adds wait for it; so do deletes of material they used). */
export const DELETES = "conditional_menu:delete";

/** An imported menu's name from its rule: `vip_ios`. */
function ruleName(menu: LiveConditionalMenu, tagNames: ReadonlyMap<number, string>): string {
  const tag = menu.matchrule.tag_id === undefined ? undefined : (tagNames.get(Number(menu.matchrule.tag_id)) ?? `tag_${menu.matchrule.tag_id}`);
  const platform =
    menu.matchrule.client_platform_type === undefined
      ? undefined
      : CLIENT_PLATFORM_TYPES[menu.matchrule.client_platform_type as keyof typeof CLIENT_PLATFORM_TYPES];
  return identifier([tag, platform?.toLowerCase()].filter(Boolean).join("_"), "menu");
}
import { append } from "../../append.js";
import { checkConditionalMenus, conditionalMenusFromFile, type DesiredConditionalMenu } from "./section.js";

/** A conditional menu as WeChat would hold it: the matchrule resolved to ids (or a placeholder). */
interface Resolved {
  name: string;
  matchrule: Matchrule;
  /** A tag this plan creates: its id is known after apply. */
  pendingTag?: Placeholder;
  tagName?: string;
  button: MenuButton[];
  /** The steps uploading the assets its buttons name. */
  uploads: string[];
  /** 1 = first in the file = wins. */
  precedence: number;
}

const content = (matchrule: Matchrule, button: readonly MenuButton[]) =>
  canonicalJson({ matchrule: matchruleToJson(matchrule), button: buttonsToJson(button) });
const ruleOnly = (matchrule: Matchrule, pending?: Placeholder) => canonicalJson({ ...matchruleToJson(matchrule), ...(pending && { tag_id: pending }) });

function resolve(menus: readonly DesiredConditionalMenu[], facts: PlanFacts, liveTags: LiveState["tags"], problems: string[]): Resolved[] {
  // Without the tags kind's facts (tags not managed), the live tags are the tags after apply.
  const tagIds = facts.tagIds ?? new Map((liveTags ?? []).map((tag) => [tag.name, tag.id]));
  return menus.map((menu, index) => {
    const rule: Matchrule = {};
    let pendingTag: Placeholder | undefined;
    if (menu.matchrule.tag !== undefined) {
      const id = tagIds.get(menu.matchrule.tag);
      if (id === undefined) problems.push(`${addressOf("conditional_menu", menu.name)}: tag '${menu.matchrule.tag}' is neither in the file nor on the account`);
      else if (isPlaceholder(id)) pendingTag = id;
      else rule.tag_id = String(id);
    }
    if (menu.matchrule.tag_id !== undefined) {
      rule.tag_id = menu.matchrule.tag_id;
      // Without this check apply would delete the working menu, then fail to add this one (40050).
      if (liveTags && !liveTags.some((tag) => String(tag.id) === menu.matchrule.tag_id)) {
        problems.push(
          `${addressOf("conditional_menu", menu.name)}: matchrule.tag_id ${menu.matchrule.tag_id} is not a tag on the account (write 'tag: NAME' for a tag this file creates)`,
        );
      }
    }
    if (menu.matchrule.client_platform_type !== undefined) rule.client_platform_type = menu.matchrule.client_platform_type;
    const bound = bindMedia(menu.button, facts);
    return {
      name: menu.name,
      matchrule: rule,
      ...(pendingTag && { pendingTag }),
      ...(menu.matchrule.tag !== undefined && { tagName: menu.matchrule.tag }),
      button: cleanButtons(bound.buttons),
      uploads: bound.after,
      precedence: index + 1,
    };
  });
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

export const conditionalMenusKind = defineKind({
  kind: "conditional_menu",
  section: "conditional_menus",
  check: checkConditionalMenus,
  fromFile: conditionalMenusFromFile,

  async read(desired, session) {
    // Tags resolve rules written by name, and name the tags of live menus in the plan. When no rule is
    // written by name, an account that may not read tags (48001) still gets a plan, with ids only.
    const byName = (desired.conditional_menus ?? []).some((menu) => menu.matchrule.tag !== undefined);
    const tags = byName
      ? session.tags()
      : session
          .tags()
          .catch((error: unknown) => (error instanceof WeChatError && UNREADABLE_ERRCODES.includes(error.errcode) ? undefined : Promise.reject(error)));
    const references = (desired.conditional_menus ?? []).flatMap((menu) => literalReferences(menu.button));
    const [menu, tagList, conditionalMenuReferences] = await Promise.all([session.menu(), tags, readReferences(references, session)]);
    return { menu, ...(tagList && { tags: tagList }), ...(conditionalMenuReferences && { conditionalMenuReferences }) };
  },

  diff(desired: DesiredState, live: LiveState, facts: PlanFacts): KindPlan {
    const plan = emptyKindPlan();
    const current = live.menu?.conditional ?? [];
    const tagNames = new Map((live.tags ?? []).map((tag) => [String(tag.id), tag.name]));
    const liveAddress = (menu: LiveConditionalMenu) => addressOf("conditional_menu", `#${menu.menuid}`);
    const livePrecedence = (menu: LiveConditionalMenu) => current.length - current.indexOf(menu);

    // menu/delete takes every conditional menu with it; the menu kind lists them.
    const defaultMenu = facts.defaultMenu ?? (live.menu?.default ? "present" : "absent");
    if (defaultMenu === "deleted") return plan;

    const wanted = resolve(desired.conditional_menus ?? [], facts, live.tags, plan.problems);
    for (const menu of desired.conditional_menus ?? []) {
      const findings = referenceFindings(addressOf("conditional_menu", menu.name), literalReferences(menu.button), live.conditionalMenuReferences);
      append(plan.problems, findings.problems);
      append(plan.warnings, findings.warnings);
    }
    if (wanted.length > 0 && defaultMenu === "absent") {
      plan.problems.push(
        "conditional menus need a default menu (WeChat answers 65303): the account has none and the file does not manage 'menu'; add a 'menu' section",
      );
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
      return {
        id: `${liveAddress(menu)}:delete`,
        // The tag it matches may be deleted once it is gone.
        groups: [DELETES, ...(menu.matchrule.tag_id !== undefined ? [tagUsers(menu.matchrule.tag_id)] : [])],
        removes: true,
        address,
        description: `delete conditional menu ${menu.menuid} (${describeRule(menu.matchrule, tagNames)})`,
        request: requests.deleteConditionalMenu(menu.menuid),
      };
    });
    // Adds after every delete (at most 3 URL domains at a time), after the default menu (65303), after the
    // tag they match is created, and one after the other from the lowest precedence: the newest wins.
    for (const menu of added) append(plan.warnings, truncationWarnings(addressOf("conditional_menu", menu.name), menu.button));
    const addSteps: StepDraft[] = added.map((menu, index) => {
      const address = addressOf("conditional_menu", menu.name);
      const previous = added[index - 1];
      return {
        id: `${address}:add`,
        after: [
          DELETES,
          DEFAULT_MENU_STEP,
          ...(menu.tagName !== undefined && menu.pendingTag ? [tagCreateStep(menu.tagName)] : []),
          ...menu.uploads,
          ...(previous ? [`${addressOf("conditional_menu", previous.name)}:add`] : []),
        ],
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
        plan.changes.push({
          address,
          kind: "conditional_menu",
          name: menu.name,
          actions: ["create"],
          reason_code: "conditional_missing",
          before: null,
          after,
          details,
        });
        continue;
      }
      const unchanged = sameButtons(old.button, menu.button);
      const details: Detail[] = [];
      const oldPrecedence = livePrecedence(old);
      if (oldPrecedence !== menu.precedence || unchanged) details.push({ path: "precedence", action: "update", before: oldPrecedence, after: menu.precedence });
      if (!unchanged) append(details, diffButtons(menu.button, old.button));
      const change: Change = {
        address,
        kind: "conditional_menu",
        name: menu.name,
        actions: ["delete", "create"],
        ...(!unchanged
          ? { reason_code: "cannot_update" }
          : oldPrecedence !== menu.precedence
            ? { reason_code: "precedence_moved", reason_args: { from: oldPrecedence, to: menu.precedence } }
            : { reason_code: "below_changed" }),
        before: { menuid: old.menuid, matchrule: ruleJson(old.matchrule), button: buttonsToJson(old.button), precedence: oldPrecedence },
        after,
        details,
      };
      plan.changes.push(change);
    }

    for (const menu of unpaired) {
      plan.changes.push(
        deletedMenuChange(
          menu,
          { reason_code: "conditional_not_in_file", reason_args: { rule: describeRule(menu.matchrule, tagNames) } },
          tagNames,
          livePrecedence(menu),
        ),
      );
    }
    append(plan.steps, [...deleteSteps, ...addSteps]);
    if (deleted.length > 0 && added.length > 0) {
      plan.warnings.push(
        "between the deletes and the adds of conditional menus (a few seconds), some followers may see the default menu or a lower-precedence one",
      );
    }
    return plan;
  },

  async importRead(session) {
    // Conditional menus need a verified account, as tags do: where tags cannot be read, neither are they.
    const [menu, tags] = await Promise.all([session.menu(), session.tags()]);
    return { menu, tags };
  },

  // Highest precedence (newest) first; rules WeChat removed, and rules a newer menu shadows, are left out.
  toFile(live, { exported }) {
    if (exported.menu === undefined || !live.menu || !live.tags) return { notices: [] };
    const notices: string[] = [];
    const tagNames = new Map(live.tags.map((tag) => [tag.id, tag.name]));
    const names = new Set<string>();
    const rules = new Set<string>();
    const kept: Array<{ menu: LiveConditionalMenu; name: string; precedence: number }> = [];
    [...live.menu.conditional].reverse().forEach((menu, index) => {
      const removed = REMOVED_MATCHRULE_FIELDS.filter((field) => menu.matchrule[field] !== undefined);
      if (removed.length > 0) {
        notices.push(
          `conditional menu ${menu.menuid} matches on ${removed.join(", ")}, which WeChat removed (it matches nobody now): left out, so the next apply deletes it`,
        );
        return;
      }
      const rule = canonicalJson(menu.matchrule);
      if (rules.has(rule)) {
        notices.push(`conditional menu ${menu.menuid} has the same rule as a newer one, which always wins: left out, so the next apply deletes it`);
        return;
      }
      rules.add(rule);
      kept.push({ menu, name: unique(ruleName(menu, tagNames), names), precedence: index + 1 });
    });
    return {
      value: kept.map(({ menu, name }) => {
        const tagId = menu.matchrule.tag_id === undefined ? undefined : Number(menu.matchrule.tag_id);
        const tag = tagId === undefined ? undefined : tagNames.get(tagId);
        const matchrule = {
          ...(tag !== undefined ? { tag } : tagId !== undefined ? { tag_id: tagId } : {}),
          ...(menu.matchrule.client_platform_type !== undefined && { client_platform_type: Number(menu.matchrule.client_platform_type) }),
        };
        return { name, matchrule, button: withAssetNames(menu.button, live, exported) };
      }),
      notices,
      decorate(doc) {
        const list = seqAt(doc, ["conditional_menus"]);
        kept.forEach(({ menu, precedence }, index) => {
          mapAt(doc, ["conditional_menus", index, "matchrule"]).flow = true;
          flowButtons(seqAt(doc, ["conditional_menus", index, "button"]));
          (list.items[index] as YAMLMap).commentBefore = ` precedence ${precedence}, menuid ${menu.menuid}`;
        });
        if (kept.length > 0) keyOf(doc, "conditional_menus").commentBefore = " List order is precedence: the first menu that matches a follower wins.";
      },
    };
  },

  pictures(desired) {
    return (desired.conditional_menus ?? []).map((menu, index) => {
      const rule = [
        menu.matchrule.tag !== undefined ? `tag ${menu.matchrule.tag}` : menu.matchrule.tag_id !== undefined ? `tag id ${menu.matchrule.tag_id}` : "",
        menu.matchrule.client_platform_type !== undefined
          ? CLIENT_PLATFORM_TYPES[menu.matchrule.client_platform_type as keyof typeof CLIENT_PLATFORM_TYPES]
          : "",
      ].filter(Boolean);
      return {
        address: addressOf("conditional_menu", menu.name),
        subtitle: `precedence ${index + 1}, for ${rule.join(", ")}`,
        buttons: previewButtons(menu.button, desired),
      };
    });
  },

  fingerprint(live) {
    return Object.fromEntries(
      (live.menu?.conditional ?? []).map((menu) => [
        addressOf("conditional_menu", `#${menu.menuid}`),
        { matchrule: matchruleToJson(menu.matchrule), button: buttonsToJson(menu.button) },
      ]),
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
});
