import { createRequire } from "node:module";

// node:crypto brings about twenty of Node's own modules: loaded on the first hash, not by every start.
const requireBuiltin = createRequire(import.meta.url);
let crypto: typeof import("node:crypto") | undefined;
const loadCrypto = () => (crypto ??= requireBuiltin("node:crypto") as typeof import("node:crypto"));

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** JSON with object keys sorted at every level: the same content always gives the same text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item === null || typeof item !== "object" || Array.isArray(item) ? item : sortedKeys(item as Record<string, unknown>),
  );
}

/** The object with its keys in sorted order (as an object keeps them: integer-like keys first, by value). */
function sortedKeys(item: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * sha256(canonicalJson(value)), without making the text: it goes to the hash in pieces as it is written. A
 * file with a million members is 35 MB of JSON, and JSON.stringify calls canonicalJson's replacer for each.
 */
export function canonicalSha256(value: unknown): string {
  const hash = loadCrypto().createHash("sha256");
  let pending = "";
  writeCanonical(value, (text) => {
    pending += text;
    if (pending.length >= 65_536) {
      hash.update(pending);
      pending = "";
    }
  });
  return hash.update(pending).digest("hex");
}

/** JSON.stringify's rules (toJSON once, undefined and functions left out of objects, null in lists), keys sorted. */
function writeCanonical(value: unknown, emit: (text: string) => void): void {
  writeResolved(jsonValueOf(value), emit);
}

function writeResolved(item: unknown, emit: (text: string) => void): void {
  if (item === null || typeof item !== "object") {
    emit(skipped(item) ? "null" : (JSON.stringify(item) as string));
  } else if (Array.isArray(item)) {
    emit("[");
    for (let index = 0; index < item.length; index++) {
      if (index > 0) emit(",");
      writeCanonical(item[index], emit);
    }
    emit("]");
  } else {
    emit("{");
    let first = true;
    for (const [key, entry] of Object.entries(sortedKeys(item as Record<string, unknown>))) {
      const resolved = jsonValueOf(entry);
      if (skipped(resolved)) continue;
      emit(first ? `${JSON.stringify(key)}:` : `,${JSON.stringify(key)}:`);
      first = false;
      writeResolved(resolved, emit);
    }
    emit("}");
  }
}

const jsonValueOf = (value: unknown): unknown =>
  value !== null && typeof value === "object" && typeof (value as { toJSON?: unknown }).toJSON === "function"
    ? (value as { toJSON(): unknown }).toJSON()
    : value;

/** What JSON leaves out of an object and writes as null in a list. */
const skipped = (value: unknown) => value === undefined || typeof value === "function" || typeof value === "symbol";

/** The sha256 of text (as UTF-8) or bytes, in hex. */
export function sha256(data: string | Uint8Array): string {
  return loadCrypto().createHash("sha256").update(data).digest("hex");
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
