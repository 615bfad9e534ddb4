import { readFileSync } from "node:fs";
import { parse } from "yaml";
import type { EmulatorSeed } from "./account.js";

/** Reads an emulator state file (YAML). See examples/demo-state.yaml for every field. */
export function loadSeed(file: string): EmulatorSeed {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(
      `the emulator's state file ${file}: ${code === "ENOENT" ? "no such file" : (error as Error).message} (--state names a YAML file like examples/demo-state.yaml)`,
    );
  }
  const data: unknown = parse(text);
  if (data === null || data === undefined) return {};
  if (typeof data !== "object" || Array.isArray(data)) throw new Error(`${file}: an emulator state file is a mapping (see examples/demo-state.yaml)`);
  return data as EmulatorSeed;
}
