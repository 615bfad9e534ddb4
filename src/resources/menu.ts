import type { DesiredState } from "../config/types.js";
import { buttonsToJson, cleanButtons } from "../wechat/normalize.js";
import { requests } from "../wechat/requests.js";
import { buttonLines, diffButtons, sameButtons } from "./buttons.js";
import { deletedMenuChange } from "./conditional-menus.js";
import { APPLIED, emptyKindPlan, NOT_APPLIED, PHASE, type KindPlan, type LiveState, type PlanContext, type ResourceModule } from "./kind.js";

const DEFAULT_MENU_ADDRESS = "menu.default";

export const menuModule: ResourceModule = {
  kind: "menu",
  managed: (desired: DesiredState) => desired.menu !== undefined,

  async read(_desired, session) {
    return { menu: await session.menu() };
  },

  diff(desired: DesiredState, live: LiveState, context: PlanContext): KindPlan {
    const plan = emptyKindPlan();
    const current = live.menu?.default ?? null;
    const wanted = desired.menu === undefined || desired.menu === null ? null : cleanButtons(desired.menu.button);
    const address = DEFAULT_MENU_ADDRESS;

    if (wanted === null) {
      context.defaultMenu = current ? "deleted" : "absent";
      if (!current) return plan;
      plan.changes.push({
        address,
        kind: "menu",
        name: "default",
        actions: ["delete"],
        reason: "the file sets menu: null; WeChat has no call that deletes only the default menu, so every conditional menu goes with it",
        before: { button: buttonsToJson(current.button) },
        after: null,
        details: buttonLines(current.button, "delete"),
      });
      plan.steps.push({ phase: PHASE.defaultMenu, address, description: "delete the default menu (and with it every conditional menu)", request: requests.deleteMenu() });
      const conditional = live.menu?.conditional ?? [];
      const tagNames = new Map((live.tags ?? []).map((tag) => [String(tag.id), tag.name]));
      conditional.forEach((menu, index) => {
        const reason = "deleted with the default menu: menu/delete removes every conditional menu (no call of its own)";
        plan.changes.push(deletedMenuChange(menu, reason, tagNames, conditional.length - index));
      });
      return plan;
    }

    context.defaultMenu = "present";
    if (current && sameButtons(current.button, wanted)) return plan;
    const details = current ? diffButtons(wanted, current.button) : buttonLines(wanted, "create");
    const changed = details.filter((detail) => detail.attribute !== "order").length;
    plan.changes.push({
      address,
      kind: "menu",
      name: "default",
      actions: [current ? "update" : "create"],
      reason: current
        ? `${changed ? `${changed} button change(s)` : "the buttons' order changed"}; WeChat replaces the whole menu in one call (menu/create)`
        : "the account has no default menu",
      before: current ? { button: buttonsToJson(current.button) } : null,
      after: { button: buttonsToJson(wanted) },
      details,
    });
    plan.steps.push({ phase: PHASE.defaultMenu, address, description: `${current ? "replace" : "create"} the default menu`, request: requests.createMenu(wanted) });
    return plan;
  },

  fingerprint(live) {
    const current = live.menu?.default;
    return { [DEFAULT_MENU_ADDRESS]: current ? { button: buttonsToJson(current.button) } : null };
  },

  async confirm(step, body, _change, read) {
    const current = (await read.getMenu()).default;
    if (step.endpoint === "menuDelete") return current ? NOT_APPLIED : APPLIED;
    return current && sameButtons(current.button, cleanButtons(body.button)) ? APPLIED : NOT_APPLIED;
  },
};
