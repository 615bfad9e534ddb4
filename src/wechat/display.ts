// How WeChat shows menu names: a top-level name gets about 4 Chinese characters (8 columns), a sub button's
// about 8 (16); a longer name is cut with "…" (wechat-api.md: display limits, MENU_DISPLAY in rules.ts).
import { MENU_DISPLAY } from "./rules.js";
import type { MenuButton } from "./types.js";

/** Display columns: East Asian wide characters take two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text)
    width += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\u{20000}-\u{3fffd}]/u.test(char) ? 2 : 1;
  return width;
}

/** The name as WeChat shows it: cut to `columns` with "…" when longer. */
export function shownName(name: string, columns: number): { text: string; cut: boolean } {
  if (displayWidth(name) <= columns) return { text: name, cut: false };
  let text = "";
  for (const char of name) {
    if (displayWidth(text + char) > columns - 1) break;
    text += char;
  }
  return { text: `${text}…`, cut: true };
}

export interface CutName {
  path: string;
  shown: string;
}

/** Every name WeChat would cut, with what it shows. */
export function cutNames(buttons: readonly MenuButton[]): CutName[] {
  const cut: CutName[] = [];
  for (const button of buttons) {
    const top = shownName(button.name, MENU_DISPLAY.topColumns);
    if (top.cut) cut.push({ path: button.name, shown: top.text });
    for (const child of button.sub_button ?? []) {
      const sub = shownName(child.name, MENU_DISPLAY.subColumns);
      if (sub.cut) cut.push({ path: `${button.name} > ${child.name}`, shown: sub.text });
    }
  }
  return cut;
}

/** How a preview marks a button's material that is one of the file's assets: `asset:banner`. */
export const ASSET_PREVIEW_PREFIX = "asset:";
