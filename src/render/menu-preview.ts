// A menu as a follower sees it: the bottom bar of up to 3 buttons with their sub-menus opened, as SVG
// (wxconf preview) or as text (in the markdown plan). Names longer than WeChat shows are marked.
import { MENU_DISPLAY } from "../wechat/rules.js";
import type { MenuButton } from "../wechat/types.js";
import { ASSET_PREVIEW_PREFIX, cutNames, shownName } from "../wechat/display.js";

export { cutNames, displayWidth, shownName } from "../wechat/display.js";

/** `[ 今日歌曲 | ≡ 服务 ]` and a line per opened sub-menu. */
export function textPreview(buttons: readonly MenuButton[]): string {
  const bar = buttons.map((button) => `${button.sub_button?.length ? "≡ " : ""}${shownName(button.name, MENU_DISPLAY.topColumns).text}`);
  const lines = [`[ ${bar.join(" | ")} ]`];
  for (const button of buttons) {
    if (!button.sub_button?.length) continue;
    lines.push(`  ≡ ${button.name}: ${button.sub_button.map((child) => shownName(child.name, MENU_DISPLAY.subColumns).text).join(" · ")}`);
  }
  for (const cut of cutNames(buttons)) lines.push(`  ! '${cut.path}' is longer than WeChat shows: followers see '${cut.shown}'`);
  return lines.join("\n");
}

/** A small line under a button that shows one of the file's images: `image: banner`. */
const assetCaption = (button: MenuButton): string | undefined =>
  button.media_id?.startsWith(ASSET_PREVIEW_PREFIX) ? `image: ${button.media_id.slice(ASSET_PREVIEW_PREFIX.length)}` : undefined;

const escapeXml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");

const WIDTH = 375;
const BAR = 56;
const ITEM = 44;
const FONT = "PingFang SC, Hiragino Sans GB, Microsoft YaHei, Noto Sans CJK SC, sans-serif";

/** A phone-width picture of the menu: the chat's bottom bar, every sub-menu open above its button. */
export function svgPreview(buttons: readonly MenuButton[], title: string, subtitle = ""): string {
  const tallest = Math.max(0, ...buttons.map((button) => button.sub_button?.length ?? 0));
  const header = 64;
  const popups = tallest * ITEM + (tallest ? 16 : 0);
  const height = header + popups + 24 + BAR;
  const barTop = height - BAR;
  const column = WIDTH / Math.max(1, buttons.length);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="${FONT}">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${WIDTH}" height="${height}" fill="#ededed"/>`,
    `<text x="16" y="26" font-size="15" font-weight="600" fill="#111">${escapeXml(title)}</text>`,
    `<text x="16" y="46" font-size="12" fill="#666">${escapeXml(subtitle || "as a follower sees it; names in red are cut by WeChat")}</text>`,
    `<rect y="${barTop}" width="${WIDTH}" height="${BAR}" fill="#f7f7f7" stroke="#d9d9d9"/>`,
  ];
  buttons.forEach((button, index) => {
    const left = index * column;
    const center = left + column / 2;
    if (index > 0) parts.push(`<line x1="${left}" y1="${barTop + 14}" x2="${left}" y2="${barTop + BAR - 14}" stroke="#d9d9d9"/>`);
    const top = shownName(button.name, MENU_DISPLAY.topColumns);
    const label = `${button.sub_button?.length ? "≡ " : ""}${top.text}`;
    const topCaption = assetCaption(button);
    parts.push(
      `<text x="${center}" y="${barTop + BAR / 2 + (topCaption ? 0 : 5)}" font-size="15" text-anchor="middle" fill="${top.cut ? "#d93025" : "#111"}">${escapeXml(label)}</text>`,
    );
    if (topCaption)
      parts.push(`<text x="${center}" y="${barTop + BAR / 2 + 16}" font-size="10" text-anchor="middle" fill="#888">${escapeXml(topCaption)}</text>`);
    const children = button.sub_button ?? [];
    if (children.length === 0) return;
    const popupHeight = children.length * ITEM;
    const popupTop = barTop - 12 - popupHeight;
    parts.push(`<rect x="${left + 6}" y="${popupTop}" width="${column - 12}" height="${popupHeight}" rx="6" fill="#fff" stroke="#d9d9d9"/>`);
    children.forEach((child, position) => {
      const y = popupTop + position * ITEM;
      if (position > 0) parts.push(`<line x1="${left + 14}" y1="${y}" x2="${left + column - 14}" y2="${y}" stroke="#ececec"/>`);
      const sub = shownName(child.name, MENU_DISPLAY.subColumns);
      const caption = assetCaption(child);
      parts.push(
        `<text x="${center}" y="${y + ITEM / 2 + (caption ? 0 : 5)}" font-size="14" text-anchor="middle" fill="${sub.cut ? "#d93025" : "#111"}">${escapeXml(sub.text)}</text>`,
      );
      if (caption) parts.push(`<text x="${center}" y="${y + ITEM / 2 + 14}" font-size="10" text-anchor="middle" fill="#888">${escapeXml(caption)}</text>`);
    });
  });
  parts.push("</svg>");
  return `${parts.join("\n")}\n`;
}
