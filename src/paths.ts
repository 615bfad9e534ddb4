import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The package's root folder: the first folder above this module with wxconf's package.json. It holds for
 * the compiled modules (dist/), the bundled CLI (dist/bin/) and the sources (src/) alike.
 */
function findPackageRoot(): string {
  let folder = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(folder, "package.json");
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "wxconf") return folder;
    const parent = dirname(folder);
    if (parent === folder) throw new Error("wxconf cannot find its package.json");
    folder = parent;
  }
}

export const PACKAGE_ROOT = findPackageRoot();
