import type { ErrorObject } from "ajv";
import type { Path } from "./document.js";
import validateSchema from "./schema-validator.generated.js";
import { closest } from "./suggest.js";

export interface SchemaProblem {
  path: Path;
  at: "key" | "value";
  message: string;
}

type JsonSchema = { [key: string]: unknown };
type Validator = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

/** Checks the file's shape against schemas/wxconf.schema.json; one problem per offending node. */
export function checkSchema(data: unknown): SchemaProblem[] {
  const validate = validateSchema as Validator;
  if (validate(data)) return [];
  const problems = (validate.errors ?? []).flatMap((error) => describe(error));
  return dedupe(problems);
}

function dedupe(problems: SchemaProblem[]): SchemaProblem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = `${problem.path.join("/")}|${problem.at}|${problem.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function pathOf(instancePath: string): Path {
  if (instancePath === "") return [];
  return instancePath
    .slice(1)
    .split("/")
    .map((segment) => segment.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
}

function fieldName(path: Path): string {
  const last = path[path.length - 1];
  return typeof last === "number" ? `item ${last + 1} of '${String(path[path.length - 2])}'` : `'${String(last ?? "the file")}'`;
}

function describe(error: ErrorObject): SchemaProblem[] {
  // propertyNames failures are reported, with a better message, by bindingNameProblems.
  if (error.propertyName !== undefined) return [];
  const path = pathOf(error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "additionalProperties":
      return unknownKey(path, String(params.additionalProperty), error);
    case "required":
      return [{ path, at: "value", message: `${path.length ? fieldName(path) : "the file"} is missing required field '${String(params.missingProperty)}'` }];
    case "type":
      return [{ path, at: "value", message: typeMessage(path, String(params.type)) }];
    case "const":
      return [{ path, at: "value", message: `${fieldName(path)} must be ${JSON.stringify(params.allowedValue)}` }];
    case "enum":
      return [{ path, at: "value", message: enumMessage(path, error) }];
    case "pattern":
      return [{ path, at: "value", message: patternMessage(path) }];
    case "propertyNames":
      return [];
    // A field the schema names only to forbid it (a matchrule field WeChat removed): the section's rules say why.
    case "not":
      return [];
    case "minItems":
      return [{ path, at: "value", message: `${fieldName(path)} needs at least ${String(params.limit)} item(s)` }];
    case "minLength":
      return [{ path, at: "value", message: `${fieldName(path)} must not be empty` }];
    default:
      return [{ path, at: "value", message: `${fieldName(path)} ${error.message ?? "is not valid"}` }];
  }
}

const SPECIAL_KEYS: Record<string, string> = {
  groups: "'groups' is not supported: WeChat replaced user groups with user tags in 2016. Write 'tags' (a list of { name, previously, members })",
  group_id: "'group_id' is WeChat's old name for a tag: write 'tag' (the tag's name) or 'tag_id'",
  app_secret: "'app_secret' belongs under 'account' (as a ${VARIABLE} reference)",
};

function unknownKey(path: Path, key: string, error: ErrorObject): SchemaProblem[] {
  const keyPath = [...path, key];
  const special = SPECIAL_KEYS[key];
  if (special && !(key === "app_secret" && path.length === 1 && path[0] === "account")) {
    return [{ path: keyPath, at: "key", message: special }];
  }
  const allowed = allowedKeys(error);
  const suggestion = closest(key, allowed);
  const hint = suggestion ? ` (did you mean '${suggestion}'?)` : allowed.length ? `; allowed here: ${allowed.join(", ")}` : "";
  const where = path.length === 0 ? "at the top level" : `in ${describePath(path)}`;
  return [{ path: keyPath, at: "key", message: `unknown field '${key}' ${where}${hint}` }];
}

function describePath(path: Path): string {
  return path
    .map((segment) => (typeof segment === "number" ? `[${segment}]` : segment))
    .join(".")
    .replace(/\.\[/g, "[");
}

/**
 * The property names allowed where an additionalProperties error was raised: those of the schema that
 * raised it (ajv's verbose errors carry it, also inside a $ref such as a button deep in a menu).
 */
function allowedKeys(error: ErrorObject): string[] {
  const properties = (error.parentSchema as JsonSchema | undefined)?.properties;
  return properties && typeof properties === "object" ? Object.keys(properties) : [];
}

function typeMessage(path: Path, expected: string): string {
  const readable = expected.replace(/,/g, " or ").replace("integer", "whole number").replace("object", "mapping").replace("array", "list");
  const hint = expected === "string" ? " (quote it if YAML read it as a number or boolean)" : "";
  return `${fieldName(path)} must be a ${readable}${hint}`;
}

function enumMessage(path: Path, error: ErrorObject): string {
  const allowed = ((error.params as { allowedValues?: unknown[] }).allowedValues ?? []).map(String);
  const value = error.data === undefined ? "" : String(error.data);
  const suggestion = closest(value, allowed);
  const unique = [...new Set(allowed)];
  return `${fieldName(path)} is '${value}'${suggestion ? ` (did you mean '${suggestion}'?)` : ""}; allowed: ${unique.join(", ")}`;
}

function patternMessage(path: Path): string {
  const last = path[path.length - 1];
  if (last === "app_id") return "'app_id' must be an AppID: 'wx' followed by 16 lower-case hex digits (开发 > 基本配置)";
  if (path[0] === "conditional_menus" && last === "name")
    return "a conditional menu's name is a label without spaces or dots (used in addresses like conditional_menu.NAME)";
  if (last === "tag_id") return "'tag_id' must be a tag's numeric id";
  return `${fieldName(path)} has an invalid format`;
}
