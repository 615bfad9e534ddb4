import type { Path } from "./document.js";

const REFERENCE = /\$\$\{|\$\{([^}]*)\}/g;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface InterpolationProblem {
  path: Path;
  message: string;
}

/**
 * Replaces `${NAME}` in every string with the environment variable NAME. `$${` stands for a literal `${`.
 * Returns the new data and every problem (a missing variable, a malformed reference) with its path.
 */
export function interpolate(
  data: unknown,
  env: Readonly<Record<string, string | undefined>>,
): { data: unknown; problems: InterpolationProblem[] } {
  const problems: InterpolationProblem[] = [];
  const visit = (value: unknown, path: Path): unknown => {
    if (typeof value === "string") return interpolateString(value, path, env, problems);
    if (Array.isArray(value)) return value.map((item, index) => visit(item, [...path, index]));
    if (value !== null && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, visit(item, [...path, key])]));
    }
    return value;
  };
  return { data: visit(data, []), problems };
}

function interpolateString(
  text: string,
  path: Path,
  env: Readonly<Record<string, string | undefined>>,
  problems: InterpolationProblem[],
): string {
  if (!text.includes("$")) return text;
  return text.replace(REFERENCE, (match, name: string | undefined) => {
    if (match === "$${") return "${";
    if (name === undefined || !NAME.test(name)) {
      problems.push({ path, message: `'${match}' is not a valid reference: write \${NAME} with letters, digits and _` });
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
