import { isJsonObject, type Json, type JsonObject } from "../json.js";
import { isPlaceholder } from "../wechat/requests.js";

/** Replaces every `{ "$ref": ... }` with the value an earlier step produced. */
export function resolveRefs(body: JsonObject | undefined, outputs: ReadonlyMap<string, Json>): JsonObject {
  if (!body) return {};
  return resolveValue(body, outputs) as JsonObject;
}

function resolveValue(value: Json, outputs: ReadonlyMap<string, Json>): Json {
  if (isPlaceholder(value)) {
    const resolved = outputs.get(value.$ref);
    if (resolved === undefined) throw new Error(`${value.$ref} is not known yet: the step that produces it did not run`);
    return "as" in value && value.as === "string" ? String(resolved) : resolved;
  }
  if (Array.isArray(value)) return value.map((item) => resolveValue(item, outputs));
  if (isJsonObject(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resolveValue(item, outputs)]));
  return value;
}

/** A value from an answer by a dotted path ("tag.id"). */
export function readPath(answer: JsonObject, path: string): Json | undefined {
  let current: Json | undefined = answer;
  for (const key of path.split(".")) current = isJsonObject(current) ? current[key] : undefined;
  return current;
}
