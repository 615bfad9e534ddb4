// The `menu` section: the default menu in WeChat's own shape; `menu: null` means "no default menu".
import type { RuleProblem } from "../../config/issues.js";
import { asArray, asObject, asString, type Loose } from "../../config/loose.js";
import { shownName } from "../../wechat/display.js";
import { checkMedia } from "./media.js";
import { checkMenuButtons, MENU_DISPLAY, type RuleIssue, type RulePath } from "../../wechat/rules.js";
import type { MenuButton } from "../../wechat/types.js";

declare module "../kind.js" {
  interface DesiredSections {
    menu?: { button: MenuButton[] } | null;
  }
}

/** A WeChat rule issue as a problem of the file; what WeChat accepts and ignores stays a warning. */
export const fromRuleIssue = (issue: RuleIssue): RuleProblem => ({
  path: issue.path,
  at: "value",
  message: issue.message,
  ...(issue.warning && { warning: true }),
});

export function checkMenu(file: Readonly<Loose>): RuleProblem[] {
  const fields = asObject(file.menu);
  if (!fields || !Array.isArray(fields.button)) return [];
  const media = checkMedia(file, fields.button, ["menu", "button"]);
  return [...media.problems, ...checkMenuButtons(media.buttons, ["menu", "button"]).map(fromRuleIssue), ...truncatedNames(fields.button, ["menu", "button"])];
}

/** Names WeChat cuts with "…" (valid, but followers do not see them whole): warnings at each name. */
export function truncatedNames(buttons: unknown[], path: RulePath): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const check = (button: unknown, at: RulePath, columns: number, where: string) => {
    const name = asString(asObject(button)?.name);
    if (name === undefined) return;
    const shown = shownName(name, columns);
    if (shown.cut)
      problems.push({
        path: [...at, "name"],
        at: "value",
        warning: true,
        message: `name '${name}' is wider than WeChat shows ${where}: followers see '${shown.text}'`,
      });
  };
  buttons.forEach((button, index) => {
    check(button, [...path, index], MENU_DISPLAY.topColumns, "on the menu bar");
    asArray(asObject(button)?.sub_button).forEach((child, childIndex) => {
      check(child, [...path, index, "sub_button", childIndex], MENU_DISPLAY.subColumns, "in a sub-menu");
    });
  });
  return problems;
}

export function menuFromFile(file: Readonly<Loose>): { menu?: { button: MenuButton[] } | null } {
  if (file.menu === undefined) return {};
  const menu = file.menu as { button: MenuButton[] } | null;
  return { menu: menu === null ? null : { button: menu.button } };
}
