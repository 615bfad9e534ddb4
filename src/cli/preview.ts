import { writeOutputFile } from "../sink.js";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { loadConfig } from "../resources/load.js";
import { KINDS } from "../resources/index.js";
import { cutNames, svgPreview } from "../render/menu-preview.js";
import type { Console } from "./console.js";
import { EXIT, type ExitCode } from "./exit-codes.js";

export interface PreviewOptions {
  config: string;
  out: string;
}

/** Draws each menu of the file as a follower sees it, one SVG each. Offline. */
export function runPreview(options: PreviewOptions, out: Console): ExitCode {
  const { desired } = loadConfig(options.config);
  const menus = KINDS.flatMap((kind) => kind.pictures?.(desired) ?? []);
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
