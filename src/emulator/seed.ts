import { readFileSync } from "node:fs";
import { parse } from "yaml";
import type { EmulatorSeed } from "./account.js";

/** Reads an emulator state file (YAML). See examples/demo-state.yaml for every field. */
export function loadSeed(file: string): EmulatorSeed {
  const data: unknown = parse(readFileSync(file, "utf8"));
  if (data === null || data === undefined) return {};
  if (typeof data !== "object" || Array.isArray(data)) throw new Error(`${file}: an emulator state file is a mapping (see examples/demo-state.yaml)`);
  return data as EmulatorSeed;
}
