// Runs `wxconf plan` once against the emulator, as the demo does: the CLI's first run writes its code cache
// (dist/bin/wxconf.bundle.*.cache) at exit, holding what validate and plan compile.
import { spawn } from "node:child_process";
import { loadSeed } from "../dist/emulator/seed.js";
import { startEmulator } from "../dist/emulator/server.js";

const emulator = await startEmulator({ state: loadSeed("examples/demo-state.yaml") });
try {
  const child = spawn(process.execPath, ["dist/bin/wxconf.cjs", "plan", "-c", "examples/demo.yaml"], {
    stdio: ["ignore", "ignore", "pipe"],
    env: { PATH: process.env.PATH ?? "", WXCONF_API_BASE: emulator.url, WXCONF_APP_SECRET: emulator.appSecret },
  });
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const status = await new Promise((resolve) => child.on("close", resolve));
  if (status !== 0) throw new Error(`wxconf plan exited with ${status} while warming the code cache:\n${stderr}`);
} finally {
  await emulator.close();
}
