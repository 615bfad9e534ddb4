import type { Path } from "./document.js";

const REFERENCE = /\$\$\{|\$\{([^}]*)\}/g;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The only variables a managed value may read: a pull request's plan shows managed values to its author. */
export const MANAGED_VARIABLE_PREFIX = "WXCONF_VAR_";

/** Fields that hold a secret: they may name any variable, must not be literal, and are never rendered. */
export const SECRET_FIELDS: readonly Path[] = [
  ["account", "app_secret"],
  ["server", "token"],
  ["server", "encoding_aes_key"],
];

/**
 * Fields wxconf never interpolates: token_command is run as written, so that no variable's value can
 * become shell syntax (its shell, if any, expands variables from its own environment).
 */
const VERBATIM_FIELDS: readonly Path[] = [["token_command"]];

export interface InterpolationProblem {
  path: Path;
  message: string;
}

export interface Interpolated {
  data: unknown;
  problems: InterpolationProblem[];
  /** The values the secret fields resolved to. */
  secrets: string[];
}

const samePath = (a: Path, b: Path) => a.length === b.length && a.every((segment, index) => segment === b[index]);
export const isSecretField = (path: Path) => SECRET_FIELDS.some((field) => samePath(field, path));

/**
 * Replaces `${NAME}` in every string with the environment variable NAME. `$${` stands for a literal `${`.
 * Managed values read only WXCONF_VAR_* variables; secret fields read any. Returns the new data, every
 * problem (a missing or forbidden variable, a malformed reference) with its path, and the secret values.
 */
export function interpolate(data: unknown, env: Readonly<Record<string, string | undefined>>): Interpolated {
  const problems: InterpolationProblem[] = [];
  const secrets: string[] = [];
  const visit = (value: unknown, path: Path): unknown => {
    if (typeof value === "string") {
      if (VERBATIM_FIELDS.some((field) => samePath(field, path))) return value;
      const secret = isSecretField(path);
      const resolved = interpolateString(value, path, env, secret, problems);
      if (secret && resolved !== value) secrets.push(resolved);
      return resolved;
    }
    if (Array.isArray(value)) {
      if (VERBATIM_FIELDS.some((field) => samePath(field, path))) return value;
      // A string without `$` stays as it is, and no secret or verbatim field is a list item: a list of a
      // million members is copied without a path for each.
      return value.map((item, index) => (typeof item === "string" && !item.includes("$") ? item : visit(item, [...path, index])));
    }
    if (value !== null && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, visit(item, [...path, key])]));
    }
    return value;
  };
  return { data: visit(data, []), problems, secrets };
}

function interpolateString(
  text: string,
  path: Path,
  env: Readonly<Record<string, string | undefined>>,
  secretField: boolean,
  problems: InterpolationProblem[],
): string {
  if (!text.includes("$")) return text;
  return text.replace(REFERENCE, (match, name: string | undefined) => {
    if (match === "$${") return "${";
    if (name === undefined || !NAME.test(name)) {
      problems.push({
        path,
        message: `'${match.length > 40 ? `${match.slice(0, 40)}…` : match}' is not a valid reference: write \${NAME} with letters, digits and _`,
      });
      return match;
    }
    if (!secretField && !name.startsWith(MANAGED_VARIABLE_PREFIX)) {
      problems.push({
        path,
        message:
          `\${${name}} is not allowed here: a managed value may read only ${MANAGED_VARIABLE_PREFIX}* variables, because plans show it ` +
          `(rename the variable to ${name.startsWith("WXCONF_") ? MANAGED_VARIABLE_PREFIX + name.slice("WXCONF_".length) : MANAGED_VARIABLE_PREFIX + name}); only secret fields such as account.app_secret may name any variable`,
      });
      return match;
    }
    const value = env[name];
    if (value === undefined) {
      problems.push({ path, message: `environment variable ${name} is not set (referenced as \${${name}})` });
      return match;
    }
    return value;
  });
}

/** True when the whole string is one `${NAME}` reference. */
export function isReference(text: string): boolean {
  return /^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/.test(text.trim());
}
