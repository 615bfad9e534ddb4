import { createRequire } from "node:module";

// node:crypto brings about twenty of Node's own modules: loaded on the first hash, not by every start.
const requireBuiltin = createRequire(import.meta.url);
let crypto: typeof import("node:crypto") | undefined;

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** JSON with object keys sorted at every level: the same content always gives the same text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (item === null || typeof item !== "object" || Array.isArray(item)) return item;
    return Object.fromEntries(Object.entries(item as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  });
}

/** The sha256 of text (as UTF-8) or bytes, in hex. */
export function sha256(data: string | Uint8Array): string {
  crypto ??= requireBuiltin("node:crypto") as typeof import("node:crypto");
  return crypto.createHash("sha256").update(data).digest("hex");
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
