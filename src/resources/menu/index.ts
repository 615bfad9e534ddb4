import { buttonsToJson, cleanButtons } from "../../wechat/normalize.js";
import { requests } from "../../wechat/requests.js";
import type { Json, JsonObject } from "../../json.js";
import type { MenuButton } from "../../wechat/types.js";
import { buttonLines, diffButtons, keysOf, sameButtons } from "./buttons.js";
import { consoleMenuButtons } from "./console-menu.js";
import {
  APPLIED,
  defineKind,
  emptyKindPlan,
  NOT_APPLIED,
  type DroppedButton,
  type Change,
  type KindPlan,
  type LiveState,
  type PlanFacts,
  type DesiredState,
} from "../kind.js";
import { deletedMenuChange } from "./conditional.js";
import { append } from "../../append.js";
import { cutNames } from "../../wechat/display.js";
import { MENU_LIMITS } from "../../wechat/rules.js";
import { flowButtons, mapAt, seqAt } from "../yaml-doc.js";
import { bindMedia, previewButtons, withAssetNames } from "./media.js";
import { literalReferences, readReferences, referenceFindings } from "./references.js";
import { checkMenu, menuFromFile } from "./section.js";

const DEFAULT_MENU_ADDRESS = "menu.default";

/** For the plan: the names of a menu being made that WeChat will cut. */
export const truncationWarnings = (address: string, buttons: readonly MenuButton[]): string[] =>
  cutNames(buttons).map((cut) => `${address}: '${cut.path}' is longer than WeChat shows; followers see '${cut.shown}'`);
/** The step that creates (or replaces) the default menu: conditional menus are added after it. */
export const DEFAULT_MENU_STEP = `${DEFAULT_MENU_ADDRESS}:create`;
/** The step that deletes the default menu (and every conditional menu). */
export const MENU_DELETE_STEP = `${DEFAULT_MENU_ADDRESS}:delete`;

export const menuKind = defineKind({
  kind: "menu",
  section: "menu",
  check: checkMenu,
  fromFile: menuFromFile,

  async read(desired, session) {
    const references = desired.menu ? literalReferences(desired.menu.button) : [];
    const [menu, menuReferences] = await Promise.all([session.menu(), readReferences(references, session)]);
    const checked = menuReferences ? { menuReferences } : {};
    // No API menu: a menu published in the MP console may still be live, and creating one replaces it.
    if (menu.default === null) return { menu, consoleMenu: await session.selfMenu(), ...checked };
    return { menu, ...checked };
  },

  diff(desired: DesiredState, live: LiveState, facts: PlanFacts): KindPlan {
    const plan = emptyKindPlan();
    const current = live.menu?.default ?? null;
    const bound = desired.menu ? bindMedia(desired.menu.button, facts) : undefined;
    const wanted = bound ? cleanButtons(bound.buttons) : null;
    const address = DEFAULT_MENU_ADDRESS;

    if (wanted === null) {
      plan.facts = { defaultMenu: current ? "deleted" : "absent" };
      if (!current) return plan;
      plan.changes.push({
        address,
        kind: "menu",
        name: "default",
        actions: ["delete"],
        reason_code: "menu_null",
        before: { button: buttonsToJson(current.button) },
        after: null,
        details: buttonLines(current.button, "delete"),
      });
      plan.steps.push({
        id: MENU_DELETE_STEP,
        removes: true,
        address,
        description: "delete the default menu (and with it every conditional menu)",
        request: requests.deleteMenu(),
      });
      const conditional = live.menu?.conditional ?? [];
      plan.safety.push({
        rule: "default_menu_delete",
        address,
        message: `deleting the default menu leaves followers with no menu and deletes every conditional menu (${conditional.length} now)`,
      });
      const tagNames = new Map((live.tags ?? []).map((tag) => [String(tag.id), tag.name]));
      conditional.forEach((menu, index) => {
        plan.changes.push(deletedMenuChange(menu, { reason_code: "deleted_with_default_menu" }, tagNames, conditional.length - index));
      });
      return plan;
    }

    plan.facts = { defaultMenu: "present" };
    const findings = referenceFindings(address, literalReferences(desired.menu?.button ?? []), live.menuReferences);
    append(plan.problems, findings.problems);
    append(plan.warnings, findings.warnings);
    if (current && sameButtons(current.button, wanted)) return plan;
    if (!current && live.consoleMenu && Number(live.consoleMenu.is_menu_open) === 1) {
      const replaced = replaceConsoleMenu(live.consoleMenu, wanted);
      if (replaced) {
        plan.changes.push(replaced.change);
        if (replaced.lost.length > 0) {
          plan.safety.push({
            rule: "console_menu_replaced",
            address,
            message: `replacing the menu published in the MP console removes ${replaced.lost.length} button(s) followers see: ${replaced.lost.join(", ")}`,
          });
        }
        plan.steps.push({
          id: DEFAULT_MENU_STEP,
          ...(bound && bound.after.length > 0 && { after: bound.after }),
          address,
          description: "replace the MP console's menu with the file's default menu",
          request: requests.createMenu(wanted),
        });
        return plan;
      }
    }
    const details = current ? diffButtons(wanted, current.button) : buttonLines(wanted, "create");
    const changed = details.filter((detail) => detail.attribute !== "order").length;
    plan.changes.push({
      address,
      kind: "menu",
      name: "default",
      actions: [current ? "update" : "create"],
      ...(current
        ? changed
          ? { reason_code: "buttons_changed", reason_args: { changed } }
          : { reason_code: "buttons_reordered" }
        : { reason_code: "menu_missing" }),
      before: current ? { button: buttonsToJson(current.button) } : null,
      after: { button: buttonsToJson(wanted) },
      details,
    });
    plan.steps.push({
      id: DEFAULT_MENU_STEP,
      ...(bound && bound.after.length > 0 && { after: bound.after }),
      address,
      description: `${current ? "replace" : "create"} the default menu`,
      request: requests.createMenu(wanted),
    });
    append(plan.warnings, truncationWarnings(address, wanted));
    return plan;
  },

  async importRead(session) {
    const menu = await session.menu();
    return menu.default === null ? { menu, consoleMenu: await session.selfMenu() } : { menu };
  },

  // The default menu, else a menu published in the MP console, converted where the API can make it.
  toFile(live, context) {
    const notices: string[] = [];
    let dropped: DroppedButton[] = [];
    let buttons: MenuButton[] | undefined = live.menu?.default?.button;
    if (!buttons && live.consoleMenu) {
      const converted = consoleMenuButtons(live.consoleMenu);
      dropped = converted.dropped;
      if (converted.buttons.length >= MENU_LIMITS.minTopButtons) buttons = converted.buttons;
      if (converted.buttons.length > 0 || dropped.length > 0) {
        notices.push(
          "the menu was made in the MP console: menu/get does not show it, so the first apply creates it with the API (it looks the same to followers)",
        );
      }
      for (const button of dropped) {
        notices.push(
          button.missing
            ? `menu button '${button.path}' (type ${button.type}) has no ${button.missing.join(", ")}, which the API needs: left as a comment; add it (for a mini program, the web page older WeChat versions open) to manage the button`
            : `menu button '${button.path}' has type ${button.type}, which the API cannot create: left as a comment (use a click button and answer it from your server, or a view/article_id button)`,
        );
      }
    }
    if (!buttons) return { notices: [...notices, "the account has no menu: 'menu' is left out (not managed) until you add one"], dropped };
    return {
      value: { button: withAssetNames(buttons, live, context.exported) },
      notices,
      dropped,
      decorate(doc) {
        flowButtons(seqAt(doc, ["menu", "button"]));
        if (dropped.length > 0) {
          mapAt(doc, ["menu"]).commentBefore = [
            " Buttons of the console menu the API cannot create:",
            ...dropped.map(
              (button) => `   ${button.path} (type ${button.type}${button.missing ? `, no ${button.missing.join(", ")}` : ""}: ${button.summary})`,
            ),
          ].join("\n");
        }
      },
    };
  },

  // The keys of every live menu, conditional ones included: menu/get returns them together.
  async outputs(_desired, session) {
    const menu = await session.menu();
    const keys: Record<string, string> = {};
    for (const live of [menu.default, ...menu.conditional]) if (live) keysOf(live.button, keys);
    return [{ name: "menu_keys", values: keys }];
  },

  pictures(desired) {
    return desired.menu ? [{ address: DEFAULT_MENU_ADDRESS, subtitle: "the default menu", buttons: previewButtons(desired.menu.button, desired) }] : [];
  },

  fingerprint(live) {
    const current = live.menu?.default;
    const facts: Json = current ? { button: buttonsToJson(current.button) } : live.consoleMenu ? { console: live.consoleMenu } : null;
    return { [DEFAULT_MENU_ADDRESS]: facts };
  },

  async confirm(step, body, _change, read) {
    const current = (await read.getMenu()).default;
    if (step.endpoint === "menuDelete") return current ? NOT_APPLIED : APPLIED;
    return current && sameButtons(current.button, cleanButtons(body.button)) ? APPLIED : NOT_APPLIED;
  },
});

/** Leaf buttons by path ("服务 > 官网"). */
function leafPaths(buttons: readonly MenuButton[], parent: readonly string[] = []): string[] {
  return buttons.flatMap((button) =>
    button.sub_button?.length ? leafPaths(button.sub_button, [...parent, button.name]) : [[...parent, button.name].join(" > ")],
  );
}

/**
 * The change that replaces a menu published in the MP console, and the buttons followers lose: those the
 * API cannot make (text, img, news...) and those the file does not have.
 */
function replaceConsoleMenu(raw: JsonObject, wanted: MenuButton[]): { change: Change; lost: string[] } | undefined {
  const { buttons, dropped } = consoleMenuButtons(raw);
  if (buttons.length === 0 && dropped.length === 0) return undefined;
  const kept = new Set(leafPaths(wanted));
  const lost = [...dropped.map((button) => `${button.path} (${button.type})`), ...leafPaths(buttons).filter((path) => !kept.has(path))];
  const change: Change = {
    address: DEFAULT_MENU_ADDRESS,
    kind: "menu",
    name: "default",
    actions: ["update"],
    reason_code: "console_menu_replaced",
    reason_args: { unmakeable: dropped.length },
    before: { source: "mp_console", button: buttonsToJson(buttons) },
    after: { button: buttonsToJson(wanted) },
    details: [
      ...dropped.map((button) => ({
        path: button.path,
        action: "delete" as const,
        before: `type ${button.type} (made in the MP console; the API cannot make it)${button.summary ? `: ${button.summary}` : ""}`,
      })),
      ...diffButtons(wanted, buttons),
    ],
  };
  return { change, lost };
}
