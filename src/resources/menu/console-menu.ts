// A menu published in the MP console shows only in get_current_selfmenu_info, with types the API cannot
// create (text, img, voice, video, news). What maps becomes buttons; the rest is reported.
import { isJsonObject, type Json } from "../../json.js";
import { cleanButtons } from "../../wechat/normalize.js";
import type { MenuButton } from "../../wechat/types.js";
import { isKnownButtonType } from "../../wechat/normalize.js";
import { missingButtonFields } from "../../wechat/rules.js";
import type { DroppedButton } from "../kind.js";

function summarize(button: Record<string, Json>): string {
  if (typeof button.value === "string") return button.value.length > 60 ? `${button.value.slice(0, 57)}…` : button.value;
  const news = isJsonObject(button.news_info) && Array.isArray(button.news_info.list) ? button.news_info.list : [];
  if (news.length > 0) return `${news.length} article(s): ${news.map((item) => (isJsonObject(item) ? String(item.title ?? "") : "")).join(", ")}`;
  return "";
}

export function consoleMenuButtons(raw: unknown): { buttons: MenuButton[]; dropped: DroppedButton[] } {
  const dropped: DroppedButton[] = [];
  const convert = (list: unknown, parent: string[]): MenuButton[] => {
    if (!Array.isArray(list)) return [];
    const result: MenuButton[] = [];
    for (const item of list) {
      if (!isJsonObject(item)) continue;
      const name = String(item.name ?? "");
      const children = isJsonObject(item.sub_button) ? item.sub_button.list : item.sub_button;
      if (Array.isArray(children) && children.length > 0) {
        const kept = convert(children, [...parent, name]);
        if (kept.length > 0) result.push({ name, sub_button: kept });
        continue;
      }
      const type = typeof item.type === "string" ? item.type : "";
      const [clean] = isKnownButtonType(type) ? cleanButtons([item]) : [];
      const missing = clean ? missingButtonFields(clean) : [];
      if (clean && missing.length === 0) {
        result.push(clean);
      } else if (clean) {
        const known = ["appid", "pagepath"]
          .filter((field) => typeof item[field] === "string" && item[field] !== "")
          .map((field) => `${field} ${String(item[field])}`);
        dropped.push({ path: [...parent, name].join(" > "), type, summary: known.join(", "), missing });
      } else {
        dropped.push({ path: [...parent, name].join(" > "), type: type || "(none)", summary: summarize(item) });
      }
    }
    return result;
  };
  const menu = isJsonObject(raw) && isJsonObject(raw.selfmenu_info) ? raw.selfmenu_info.button : undefined;
  return { buttons: convert(menu, []), dropped };
}
