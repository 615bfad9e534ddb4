// The `menu` section: the default menu in WeChat's own shape; `menu: null` means "no default menu".
import type { RuleProblem } from "../../config/issues.js";
import { asObject, type Loose } from "../../config/loose.js";
import { checkMenuButtons, type RuleIssue } from "../../wechat/rules.js";
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
  return checkMenuButtons(fields.button, ["menu", "button"]).map(fromRuleIssue);
}

export function menuFromFile(file: Readonly<Loose>): { menu?: { button: MenuButton[] } | null } {
  if (file.menu === undefined) return {};
  const menu = file.menu as { button: MenuButton[] } | null;
  return { menu: menu === null ? null : { button: menu.button } };
}
