// Checks every string of the file, whatever section it is in: no control characters, no value made only
// of invisible characters, and no secret inside a managed value (plans show managed values to anyone who
// can read a pull request).
import { containsSecret } from "../secrets.js";
import type { Path } from "./document.js";
import { isSecretField } from "./interpolate.js";

export interface TextProblem {
  path: Path;
  at: "key" | "value";
  message: string;
}

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** White space, format characters (zero-width space, BOM, joiners) and the Hangul fillers that render as nothing. */
const INVISIBLE_ONLY = /^[\s\p{Cf}\u115f\u1160\u3164\uffa0\u2800]+$/u;

function describeCharacter(text: string): string {
  const found = CONTROL.exec(text);
  const code = found ? (found[0].codePointAt(0) ?? 0) : 0;
  return `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
}

function problemOf(text: string): string | undefined {
  if (CONTROL.test(text)) return `contains a control character (${describeCharacter(text)}): WeChat shows it as garbage or rejects it; remove it`;
  if (INVISIBLE_ONLY.test(text)) return "is made only of invisible characters (spaces, zero-width characters): followers would see nothing";
  if (containsSecret(text))
    return "contains a secret (the value of a credential variable or a secret field): plans show managed values, so a secret must not be in one";
  return undefined;
}

/** `data` is the file after interpolation; secret fields and token_command are skipped. */
export function checkTexts(data: unknown): TextProblem[] {
  const problems: TextProblem[] = [];
  const visit = (value: unknown, path: Path): void => {
    if (typeof value === "string") {
      if (isSecretField(path) || path[0] === "token_command") return;
      const problem = problemOf(value);
      if (problem) problems.push({ path, at: "value", message: `this value ${problem}` });
    } else if (Array.isArray(value)) {
      // A loop, with a path only for a problem: a list may hold a million members. No secret field is a
      // list item; token_command's are skipped as its strings are.
      for (let index = 0; index < value.length; index++) {
        const item = value[index];
        if (typeof item !== "string") visit(item, [...path, index]);
        else if (path[0] !== "token_command") {
          const problem = problemOf(item);
          if (problem) problems.push({ path: [...path, index], at: "value", message: `this value ${problem}` });
        }
      }
    } else if (value !== null && typeof value === "object") {
      for (const [key, item] of Object.entries(value)) {
        const problem = problemOf(key);
        if (problem) problems.push({ path: [...path, key], at: "key", message: `the name ${problem}` });
        visit(item, [...path, key]);
      }
    }
  };
  visit(data, []);
  return problems;
}
