// An emulated account to plan and apply against over real HTTP, and files written as a user writes them.
import { parseConfig } from "../../src/resources/load.js";
import type { LoadedConfig } from "../../src/resources/load.js";
import type { EmulatorSeed } from "../../src/emulator/account.js";
import { startEmulator, type Emulator, type EmulatorOptions } from "../../src/emulator/server.js";
import { makePlan } from "../../src/plan/build.js";
import { readClientFor } from "./client.js";

export const APP_ID = "wx0123456789abcdef";

/** A file: the header, then the sections given as YAML text. */
export function yamlFile(sections: string): string {
  return `version: 1\naccount:\n  app_id: ${APP_ID}\n${sections}`;
}

export function configOf(sections: string): LoadedConfig {
  return parseConfig("wxconf.yaml", yamlFile(sections), {});
}

/** The environment that points the CLI at the emulator, with retries shortened. */
export function cliEnv(emulator: Emulator, extra: Record<string, string> = {}): Record<string, string> {
  return { WXCONF_API_BASE: emulator.url, WXCONF_APP_SECRET: emulator.appSecret, WXCONF_RETRY_BASE_MS: "1", WXCONF_VERIFY_PLANS: "1", ...extra };
}

export class Accounts {
  private readonly running: Emulator[] = [];

  async start(state: EmulatorSeed = {}, options: Omit<EmulatorOptions, "state"> = {}): Promise<Emulator> {
    const emulator = await startEmulator({ state, ...options });
    this.running.push(emulator);
    return emulator;
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.running.splice(0).map((emulator) => emulator.close()));
  }
}

/** Plans `sections` against the emulator through a read-only client, and counts the reads and writes. */
export async function planAgainst(emulator: Emulator, sections: string) {
  const config = configOf(sections);
  const client = readClientFor(emulator);
  emulator.resetCalls();
  try {
    const result = await makePlan("wxconf.yaml", config.desired, client.read);
    return { ...result, calls: emulator.calls() };
  } finally {
    await client.close();
  }
}

export const followers = (count: number, prefix = "o") => Array.from({ length: count }, (_, index) => `${prefix}${String(index).padStart(6, "0")}`);
