import type { Json, JsonObject } from "../../json.js";
import { buttonsToJson, cleanButtons, mediaIdsOf, normalizeMatchrule } from "../../wechat/normalize.js";
import { checkMatchrule, checkMenuButtons, conditionalMenuDomains, INVALID_MEDIA_ID, MENU_LIMITS, REMOVED_MATCHRULE_FIELDS } from "../../wechat/rules.js";
import type { Matchrule, MenuButton } from "../../wechat/types.js";
import type { Account } from "../account.js";
import { fail, type Handler } from "./common.js";

function checkButtons(account: Account, button: unknown): MenuButton[] {
  const [first] = checkMenuButtons(button).filter((issue) => !issue.warning);
  if (first) fail(first.errcode, first.message);
  const buttons = cleanButtons(button);
  const unknown = mediaIdsOf(buttons).find((id) => !account.materials.some((material) => material.media_id === id));
  if (unknown !== undefined) fail(INVALID_MEDIA_ID, "invalid media_id");
  return buttons;
}

/** As menu/get shows buttons: leaves carry an empty sub_button. */
function withEmptySubButtons(buttons: readonly MenuButton[]): Json[] {
  return buttonsToJson(buttons).map((json, index) => {
    const button = buttons[index] as MenuButton;
    const object = json as JsonObject;
    return button.sub_button ? { ...object, sub_button: withEmptySubButtons(button.sub_button) } : { ...object, sub_button: [] };
  });
}

/** As menu/get shows a matchrule: group_id (a string) where the menu was made with tag_id, every field present. */
function readBackMatchrule(rule: Matchrule): JsonObject {
  return {
    group_id: rule.tag_id ?? "",
    sex: rule.sex ?? "",
    country: rule.country ?? "",
    province: rule.province ?? "",
    city: rule.city ?? "",
    client_platform_type: rule.client_platform_type ?? "",
    language: rule.language ?? "",
  };
}

function ensureDefaultMenuId(account: Account): void {
  if (account.defaultMenuId === 0) account.defaultMenuId = account.nextMenuId++;
}

const menuGet: Handler = ({ account }) => {
  if (!account.menu) fail(46003, "menu no exist");
  const hasConditional = account.conditional.length > 0;
  const answer: JsonObject = {
    menu: { button: withEmptySubButtons(account.menu.button), ...(hasConditional && { menuid: account.defaultMenuId }) },
  };
  if (hasConditional) {
    answer.conditionalmenu = account.conditional.map((menu) => ({
      button: withEmptySubButtons(menu.button),
      matchrule: readBackMatchrule(menu.matchrule),
      menuid: menu.menuid, // a number here, a string in addconditional's answer
    }));
  }
  return answer;
};

const menuCreate: Handler = ({ account, body }) => {
  account.menu = { button: checkButtons(account, body.button) };
  if (account.conditional.length > 0) ensureDefaultMenuId(account);
  return { errcode: 0, errmsg: "ok" };
};

/** Deletes the default menu and, with it, every conditional menu. */
const menuDelete: Handler = ({ account }) => {
  account.menu = null;
  account.conditional = [];
  account.defaultMenuId = 0;
  return { errcode: 0, errmsg: "ok" };
};

const addConditional: Handler = ({ account, body }) => {
  if (!account.menu) fail(65303, "there is no default menu");
  const [ruleIssue] = checkMatchrule(body.matchrule);
  if (ruleIssue) fail(ruleIssue.errcode, ruleIssue.message);
  const matchrule = normalizeMatchrule(body.matchrule);
  if (matchrule.tag_id !== undefined && !account.tags.has(Number(matchrule.tag_id))) fail(45159, "invalid tag id");
  const button = checkButtons(account, body.button);
  const domains = conditionalMenuDomains([...account.conditional, { button }]);
  if (domains.length > MENU_LIMITS.conditionalUrlDomains) fail(65316, "conditional menus may link to at most 3 domains");
  const menuid = account.nextMenuId++;
  account.conditional.push({ menuid, matchrule, button });
  ensureDefaultMenuId(account);
  return { menuid: String(menuid) };
};

const delConditional: Handler = ({ account, body }) => {
  const menuid = Number(body.menuid);
  const index = account.conditional.findIndex((menu) => menu.menuid === menuid);
  if (body.menuid === undefined || index < 0) fail(65301, "this menu is not conditionalmenu");
  account.conditional.splice(index, 1);
  return { errcode: 0, errmsg: "ok" };
};

/**
 * The menu a follower sees: the newest conditional menu whose rule matches, else the default menu.
 * A follower with several tags is matched on the one applied last. Rules with removed fields (65320)
 * no longer match anyone. trymatch cannot know the follower's phone, so client_platform_type is ignored.
 */
const tryMatch: Handler = ({ account, body }) => {
  const owned = typeof body.user_id === "string" ? account.followers.get(body.user_id) : undefined;
  if (!owned) fail(65302, "no such user");
  if (!account.menu) fail(46003, "menu no exist");
  const newestTag = owned[owned.length - 1];
  const matches = (rule: Matchrule) =>
    !REMOVED_MATCHRULE_FIELDS.some((field) => rule[field] !== undefined) && (rule.tag_id === undefined || Number(rule.tag_id) === newestTag);
  const menu = [...account.conditional].reverse().find((candidate) => matches(candidate.matchrule));
  return { button: withEmptySubButtons(menu ? menu.button : account.menu.button) };
};

/** get_current_selfmenu_info: parents list their children under sub_button.list. */
const selfMenuInfo: Handler = ({ account }): JsonObject => {
  const shape = (buttons: readonly MenuButton[]): Json[] =>
    buttonsToJson(buttons).map((json, index) => {
      const button = buttons[index] as MenuButton;
      return button.sub_button ? { ...(json as JsonObject), sub_button: { list: shape(button.sub_button) } } : json;
    });
  const button = account.menu ? shape(account.menu.button) : account.consoleMenu?.button;
  return button ? { is_menu_open: 1, selfmenu_info: { button } } : { is_menu_open: 0 };
};

export const menuHandlers: Record<string, Handler> = {
  "/cgi-bin/menu/get": menuGet,
  "/cgi-bin/menu/create": menuCreate,
  "/cgi-bin/menu/delete": menuDelete,
  "/cgi-bin/menu/addconditional": addConditional,
  "/cgi-bin/menu/delconditional": delConditional,
  "/cgi-bin/menu/trymatch": tryMatch,
  "/cgi-bin/get_current_selfmenu_info": selfMenuInfo,
};
