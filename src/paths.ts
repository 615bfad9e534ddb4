import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The package's root folder: the first folder above this module with wxconf's package.json. It holds for
 * the compiled modules (dist/), the bundled CLI (dist/bin/) and the sources (src/) alike.
 */
function findPackage(): { root: string; version: string } {
  let folder = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const path = join(folder, "package.json");
    const manifest = existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as { name?: string; version?: string }) : undefined;
    if (manifest?.name === "wxconf") return { root: folder, version: String(manifest.version) };
    const parent = dirname(folder);
    if (parent === folder) throw new Error("wxconf cannot find its package.json");
    folder = parent;
  }
}

const found = findPackage();
export const PACKAGE_ROOT = found.root;
/** wxconf's version, from its package.json: `--version`, and the `tool` of every plan. */
export const PACKAGE_VERSION = found.version;
