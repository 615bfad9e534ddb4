// What WeChat sends, turned into what it means (wechat-api.md §10): 46003 on menu/get is "no menu",
// group_id is tag_id, ids and matchrule values have one type, leaves lose their empty sub_button.
import { isJsonObject, type Json, type JsonObject } from "../json.js";
import { BUTTON_FIELDS, BUTTON_TYPES, type ButtonType } from "./rules.js";
import type { ApiIndustry, ApiTag, ApiTemplate, IndustryName, LiveConditionalMenu, Matchrule, MenuButton, MenuState } from "./types.js";

const text = (value: unknown): string | undefined => (typeof value === "string" ? value : typeof value === "number" ? String(value) : undefined);

/** Buttons from any source (menu/get, a file, a request) with known fields only, in WeChat's field order. */
export function cleanButtons(raw: unknown): MenuButton[] {
  if (!Array.isArray(raw)) return [];
  return raw.filter(isJsonObject).map((button) => {
    const clean: MenuButton = { name: text(button.name) ?? "" };
    const type = text(button.type);
    if (type !== undefined && type !== "") clean.type = type as ButtonType;
    for (const field of BUTTON_FIELDS) {
      const value = text(button[field]);
      if (value !== undefined && value !== "") clean[field] = value;
    }
    const children = cleanButtons(button.sub_button);
    if (children.length > 0) clean.sub_button = children;
    return clean;
  });
}

export function buttonsToJson(buttons: readonly MenuButton[]): Json[] {
  return buttons.map((button) => {
    const json: JsonObject = { name: button.name };
    if (button.type !== undefined) json.type = button.type;
    for (const field of BUTTON_FIELDS) {
      const value = button[field];
      if (value !== undefined) json[field] = value;
    }
    if (button.sub_button && button.sub_button.length > 0) json.sub_button = buttonsToJson(button.sub_button);
    return json;
  });
}

export function isKnownButtonType(type: string | undefined): boolean {
  return type !== undefined && (BUTTON_TYPES as readonly string[]).includes(type);
}

const MATCHRULE_FIELDS = ["tag_id", "client_platform_type", "sex", "country", "province", "city", "language"] as const;

/** menu/get answers group_id where the menu was created with tag_id; values come as strings or numbers. */
export function normalizeMatchrule(raw: unknown): Matchrule {
  const fields = isJsonObject(raw) ? raw : {};
  const rule: Matchrule = {};
  for (const field of MATCHRULE_FIELDS) {
    const value = text(field === "tag_id" ? (fields.tag_id ?? fields.group_id) : fields[field]);
    if (value !== undefined && value !== "") rule[field] = value;
  }
  return rule;
}

export function matchruleToJson(rule: Matchrule): JsonObject {
  const json: JsonObject = {};
  for (const field of MATCHRULE_FIELDS) {
    const value = rule[field];
    if (value !== undefined) json[field] = value;
  }
  return json;
}

/** Conditional menus are listed oldest first: menuids rise over time (the order of menu/get is not documented). */
export function normalizeMenuGet(answer: JsonObject): MenuState {
  if (Number(answer.errcode ?? 0) === 46003) return { default: null, conditional: [] };
  const menu = isJsonObject(answer.menu) ? answer.menu : undefined;
  const conditional: LiveConditionalMenu[] = (Array.isArray(answer.conditionalmenu) ? answer.conditionalmenu : [])
    .filter(isJsonObject)
    .map((entry) => ({ menuid: text(entry.menuid) ?? "", matchrule: normalizeMatchrule(entry.matchrule), button: cleanButtons(entry.button) }))
    .sort((a, b) => compareMenuids(a.menuid, b.menuid));
  return { default: menu ? { button: cleanButtons(menu.button) } : null, conditional };
}

function compareMenuids(a: string, b: string): number {
  const [x, y] = [Number(a), Number(b)];
  if (Number.isFinite(x) && Number.isFinite(y) && x !== y) return x - y;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function normalizeTags(answer: JsonObject): ApiTag[] {
  const list = Array.isArray(answer.tags) ? answer.tags : [];
  return list.filter(isJsonObject).map((tag) => ({ id: Number(tag.id), name: text(tag.name) ?? "", count: Number(tag.count ?? 0) }));
}

export function normalizeTemplates(answer: JsonObject): ApiTemplate[] {
  const list = Array.isArray(answer.template_list) ? answer.template_list : [];
  return list.filter(isJsonObject).map((template) => ({
    template_id: text(template.template_id) ?? "",
    title: text(template.title) ?? "",
    primary_industry: text(template.primary_industry) ?? "",
    deputy_industry: text(template.deputy_industry) ?? "",
    content: text(template.content) ?? "",
    example: text(template.example) ?? "",
  }));
}

export function normalizeIndustry(answer: JsonObject): ApiIndustry {
  const industry = (raw: unknown): IndustryName | undefined => {
    if (!isJsonObject(raw)) return undefined;
    const first = text(raw.first_class) ?? "";
    const second = text(raw.second_class) ?? "";
    return first === "" && second === "" ? undefined : { first_class: first, second_class: second };
  };
  const primary = industry(answer.primary_industry);
  const secondary = industry(answer.secondary_industry);
  return { ...(primary && { primary }), ...(secondary && { secondary }) };
}

/** Every media_id the buttons name, sub buttons included. */
export function mediaIdsOf(buttons: readonly MenuButton[]): string[] {
  return buttons.flatMap((button) => [...(button.media_id !== undefined ? [button.media_id] : []), ...mediaIdsOf(button.sub_button ?? [])]);
}
