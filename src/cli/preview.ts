import { writeOutputFile } from "../sink.js";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { loadConfig } from "../resources/load.js";
import { addressOf } from "../plan/model.js";
import { cutNames, svgPreview } from "../render/menu-preview.js";
import { cleanButtons } from "../wechat/normalize.js";
import { CLIENT_PLATFORM_TYPES } from "../wechat/rules.js";
import type { MenuButton } from "../wechat/types.js";
import type { Console } from "./console.js";
import { EXIT, type ExitCode } from "./exit-codes.js";

export interface PreviewOptions {
  config: string;
  out: string;
}

/** Draws each menu of the file as a follower sees it, one SVG each. Offline. */
export function runPreview(options: PreviewOptions, out: Console): ExitCode {
  const { desired } = loadConfig(options.config);
  const menus: Array<{ address: string; subtitle: string; buttons: MenuButton[] }> = [];
  if (desired.menu) menus.push({ address: "menu.default", subtitle: "the default menu", buttons: cleanButtons(desired.menu.button) });
  (desired.conditional_menus ?? []).forEach((menu, index) => {
    const rule = [
      menu.matchrule.tag !== undefined ? `tag ${menu.matchrule.tag}` : menu.matchrule.tag_id !== undefined ? `tag id ${menu.matchrule.tag_id}` : "",
      menu.matchrule.client_platform_type !== undefined ? CLIENT_PLATFORM_TYPES[menu.matchrule.client_platform_type as keyof typeof CLIENT_PLATFORM_TYPES] : "",
    ].filter(Boolean);
    menus.push({ address: addressOf("conditional_menu", menu.name), subtitle: `precedence ${index + 1}, for ${rule.join(", ")}`, buttons: cleanButtons(menu.button) });
  });
  if (menus.length === 0) {
    out.error(`${options.config} has no menu to draw.`);
    return EXIT.ok;
  }
  mkdirSync(options.out, { recursive: true });
  for (const menu of menus) {
    const file = join(options.out, `${menu.address.replace(/[^\p{L}\p{N}_.#-]+/gu, "_")}.svg`);
    writeOutputFile(file, svgPreview(menu.buttons, menu.address, menu.subtitle));
    out.info(file);
    for (const cut of cutNames(menu.buttons)) out.error(`  ${menu.address}: '${cut.path}' is longer than WeChat shows; followers see '${cut.shown}'`);
  }
  return EXIT.ok;
}
