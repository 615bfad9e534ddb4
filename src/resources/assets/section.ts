// The `assets` section: name -> an image in the repository, uploaded as a permanent material under a name
// that carries its content hash (`banner.1a2b3c4d.png`), so a later run finds it again by listing.
import { closeSync, openSync, readFileSync, readSync, statSync } from "node:fs";
import { extname, isAbsolute, relative, resolve } from "node:path";
import { problemAt, type RuleProblem } from "../../config/issues.js";
import { sha256 } from "../../json.js";
import { asObject, asString, type Loose } from "../../config/loose.js";
import { IMAGE_CONTENT_TYPES, IMAGE_LIMITS, imageFormatOf } from "../../wechat/rules.js";
import type { SectionContext } from "../kind.js";

export interface DesiredAsset {
  name: string;
  /** The path as the file writes it, relative to the file's folder. */
  file: string;
  /** `sha256:<hex>` of the bytes: the upload sends them only while they still have it. */
  sha256: string;
  /** The material's name on the account: `<name>.<first 8 hex of the sha256>.<ext>`. */
  filename: string;
  content_type: string;
  bytes: number;
}

declare module "../kind.js" {
  interface DesiredSections {
    assets?: DesiredAsset[];
  }
}

export const ASSET_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;
/** A material wxconf uploaded: its name, its hash, its extension. */
export const UPLOADED_NAME = /^([A-Za-z_][A-Za-z0-9_-]*)\.([0-9a-f]{8})\.(png|jpg|jpeg|gif|bmp)$/;

const extensionOf = (file: string) => extname(file).slice(1).toLowerCase();

function firstBytes(path: string): Uint8Array {
  const buffer = Buffer.alloc(16);
  const fd = openSync(path, "r");
  try {
    return buffer.subarray(0, readSync(fd, buffer, 0, buffer.length, 0));
  } finally {
    closeSync(fd);
  }
}

/** Offline: the name, the file's existence, kind, format and size. */
export function checkAssets(file: Readonly<Loose>, context: SectionContext): RuleProblem[] {
  const problems: RuleProblem[] = [];
  for (const [name, entry] of Object.entries(asObject(file.assets) ?? {})) {
    if (!ASSET_NAME.test(name))
      problems.push({
        path: ["assets", name],
        at: "key",
        message: `asset name '${name}' must be letters, digits, _ and - (it becomes the material's file name)`,
      });
    const path = asString(asObject(entry)?.file);
    if (path === undefined) continue;
    const at = ["assets", name, "file"];
    const absolute = resolve(context.dir, path);
    // What apply uploads is public: a path may not reach outside the repository's folder (runner files, keys).
    if (isAbsolute(path) || relative(context.dir, absolute).startsWith("..")) {
      problems.push(problemAt(at, `${path} is outside the configuration file's folder: asset paths are relative to it, and stay inside it`));
      continue;
    }
    const stat = statSync(absolute, { throwIfNoEntry: false });
    if (!stat?.isFile()) {
      problems.push(problemAt(at, `${path} is not a file (paths are relative to the configuration file's folder)`));
      continue;
    }
    const extension = extensionOf(path);
    if (!(IMAGE_LIMITS.extensions as readonly string[]).includes(extension)) {
      problems.push(problemAt(at, `${path}: WeChat takes images as ${IMAGE_LIMITS.extensions.join(", ")}, not '.${extension}'`));
      continue;
    }
    const format = imageFormatOf(firstBytes(absolute));
    if (format === undefined || (format === "jpeg" ? !["jpg", "jpeg"].includes(extension) : format !== extension))
      problems.push(problemAt(at, `${path} is not a ${extension.toUpperCase()} image (its bytes say ${format ?? "it is not an image WeChat takes"})`));
    if (stat.size > IMAGE_LIMITS.maxBytes)
      problems.push(
        problemAt(at, `${path} is ${(stat.size / 1024 / 1024).toFixed(1)} MB; WeChat takes images of at most ${IMAGE_LIMITS.maxBytes / 1024 / 1024} MB`),
      );
    if (stat.size === 0) problems.push(problemAt(at, `${path} is empty`));
  }
  return problems;
}

export function assetsFromFile(file: Readonly<Loose>, context: SectionContext): { assets?: DesiredAsset[] } {
  const section = asObject(file.assets);
  if (file.assets === undefined || !section) return {};
  const assets = Object.entries(section).map(([name, entry]): DesiredAsset => {
    const path = asString(asObject(entry)?.file) as string;
    const bytes = readFileSync(resolve(context.dir, path));
    const format = imageFormatOf(bytes) ?? "png";
    // The digest on first use (the plan's diff, its fingerprint, JSON): validate never needs it, and
    // node:crypto is a tenth of validate's start. The getters are enumerable, so the data stays plain.
    let hex: string | undefined;
    const digest = () => (hex ??= sha256(bytes));
    return {
      name,
      file: path,
      get sha256() {
        return `sha256:${digest()}`;
      },
      get filename() {
        return `${name}.${digest().slice(0, 8)}.${extensionOf(path)}`;
      },
      content_type: IMAGE_CONTENT_TYPES[format],
      bytes: bytes.length,
    };
  });
  return { assets };
}
