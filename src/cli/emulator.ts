import { loadSeed } from "../emulator/seed.js";
import { startEmulator } from "../emulator/server.js";
import type { Console } from "./console.js";
import { EXIT, type ExitCode } from "./exit-codes.js";
import type { Interrupts } from "./interrupt.js";

export interface EmulatorCommandOptions {
  port: string;
  state?: string;
  latency: string;
  faultRate: string;
  seed: string;
  quiet?: boolean;
}

function numberOption(name: string, text: string, { min, max }: { min: number; max: number }): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < min || value > max) throw new Error(`${name} must be a number from ${min} to ${max}, not '${text}'`);
  return value;
}

/** Runs a local WeChat API until interrupted. */
export async function runEmulator(options: EmulatorCommandOptions, out: Console, interrupts: Interrupts): Promise<ExitCode> {
  const emulator = await startEmulator({
    ...(options.state && { state: loadSeed(options.state) }),
    port: numberOption("--port", options.port, { min: 0, max: 65535 }),
    latencyMs: numberOption("--latency", options.latency, { min: 0, max: 60_000 }),
    faults: { rate: numberOption("--fault-rate", options.faultRate, { min: 0, max: 1 }) },
    seed: numberOption("--seed", options.seed, { min: 0, max: 2 ** 32 - 1 }),
    ...(!options.quiet && { log: (line: string) => out.error(line) }),
  });
  out.info(`WeChat API emulator listening on ${emulator.url}`);
  for (const account of emulator.accounts) {
    out.info(`  app id:     ${account.appId}`);
    out.info(`  app secret: ${account.appSecret}   (the emulator's own, for local use only)`);
  }
  if (emulator.accounts.length > 1) out.info("  (each account's secret goes in $WXCONF_APP_SECRET_<app id>)");
  out.info("");
  out.info("Point wxconf at it:");
  out.info(`  export WXCONF_API_BASE=${emulator.url} WXCONF_APP_SECRET=${emulator.appSecret}`);
  out.info("  npx wxconf plan -c examples/full.yaml");
  out.info("Or ask it yourself:");
  out.info(
    `  curl -s -X POST ${emulator.url}/cgi-bin/stable_token -d '{"grant_type":"client_credential","appid":"${emulator.appId}","secret":"${emulator.appSecret}"}'`,
  );
  out.info(`  curl -s ${emulator.url}/__emulator/calls`);
  out.info("Press Ctrl-C to stop.");
  await new Promise<void>((resolve) => interrupts.takeOver(() => resolve()));
  await emulator.close();
  return EXIT.ok;
}
