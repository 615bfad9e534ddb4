// The schema is what editors show on hover and completion: every property says what it is.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./helpers/cli.js";

type Node = { [key: string]: unknown };

function undescribed(node: unknown, path: string, found: string[]): string[] {
  if (!node || typeof node !== "object") return found;
  const object = node as Node;
  for (const [name, child] of Object.entries((object.properties as Node | undefined) ?? {})) {
    if (!(child as Node).description) found.push(`${path}.${name}`);
    undescribed(child, `${path}.${name}`, found);
  }
  for (const [name, child] of Object.entries((object.$defs as Node | undefined) ?? {})) undescribed(child, `#${name}`, found);
  for (const key of ["items", "additionalProperties"]) undescribed(object[key], `${path}[${key}]`, found);
  return found;
}

describe.each(["wxconf.schema.json", "plan.schema.json"])("schemas/%s", (name) => {
  it("describes every property", () => {
    const schema = JSON.parse(readFileSync(join(ROOT, "schemas", name), "utf8")) as Node;
    expect(undescribed(schema, "", [])).toEqual([]);
  });
});
