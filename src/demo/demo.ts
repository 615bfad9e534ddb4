// `npm run demo`: the whole flow against the built-in emulator, each step with a line saying why.
// It runs the real CLI, as a user would; the emulator runs in this process so the demo can play the
// person who edits the account by hand in the MP console.
import { spawn } from "node:child_process";
import { type AddressInfo, createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { loadSeed } from "../emulator/seed.js";
import { startEmulator, type Emulator } from "../emulator/server.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const CLI = fileURLToPath(new URL("../bin/wxconf.cjs", import.meta.url));
const CONFIG = "examples/demo.yaml";
const color = process.stdout.isTTY === true && !process.env.NO_COLOR;
const bold = (text: string) => (color ? `\u001b[1m${text}\u001b[0m` : text);
const dim = (text: string) => (color ? `\u001b[2m${text}\u001b[0m` : text);

let stepNumber = 0;
const TOTAL = 9;
/** The demo's message server keys: public, for local use only. */
const SERVER_TOKEN = "demo-server-token";
const SERVER_AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

function step(title: string, why: string): void {
  stepNumber++;
  process.stdout.write(`\n${bold(`━━ ${stepNumber}/${TOTAL} ${title} ${"━".repeat(Math.max(0, 60 - title.length))}`)}\n${why}\n`);
}

/** Runs the CLI without blocking: the emulator answers from this same process. */
async function wxconf(emulator: Emulator, args: string[], expected: number, env: Record<string, string> = {}): Promise<void> {
  process.stdout.write(`${dim(`$ wxconf ${args.join(" ")}`)}\n`);
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    stdio: "inherit",
    env: { ...process.env, WXCONF_API_BASE: emulator.url, WXCONF_APP_SECRET: emulator.appSecret, ...env },
  });
  const status = await new Promise<number | null>((resolve) => child.on("close", resolve));
  if (status !== expected) throw new Error(`'wxconf ${args.join(" ")}' exited with ${String(status)}, expected ${expected}`);
}

async function main(): Promise<void> {
  const emulator = await startEmulator({ state: loadSeed(`${ROOT}/examples/demo-state.yaml`) });
  try {
    process.stdout.write(
      `${bold("wxconf demo")}: a local WeChat emulator is running at ${emulator.url}, seeded with examples/demo-state.yaml:\n` +
        "an account run by hand until now (followers, tags, a template, and a menu someone edited in the console).\n",
    );

    step("Validate", "Checked offline against WeChat's rules: byte lengths, button types, tag names... No call is made.");
    await wxconf(emulator, ["validate", "-c", CONFIG], 0);

    step("Plan", "wxconf reads the account and shows what apply would change, and why. It cannot write.");
    await wxconf(emulator, ["plan", "-c", CONFIG], 0);

    step("Apply", "The fewest calls, in a safe order; the new tag id flows into the conditional menu; then a check.");
    emulator.resetCalls();
    await wxconf(emulator, ["apply", "-c", CONFIG, "--auto-approve"], 0);
    process.stdout.write(`${dim(`(the emulator counted ${emulator.calls().writes} write calls)`)}\n`);

    step("Plan again", "The account now matches the file. In CI, --detailed-exitcode would exit 0 here, and 2 on changes.");
    await wxconf(emulator, ["plan", "-c", CONFIG, "--detailed-exitcode"], 0);

    step("Someone edits the account by hand", "Simulated: a colleague changes the website button in the MP console and untags a VIP.");
    const services = emulator.account.menu?.button.find((button) => button.name === "服务");
    const website = services?.sub_button?.find((button) => button.name === "官网");
    if (website) website.url = "https://edited-by-hand.example.com/";
    emulator.account.removeMember(100, "oDemo04");
    process.stdout.write(`${dim("(menu: 服务 > 官网 now points to https://edited-by-hand.example.com/; VIP lost oDemo04)")}\n`);

    step("Drift", "The scheduled audit: it reports what was changed outside wxconf and exits 2.");
    await wxconf(emulator, ["drift", "-c", CONFIG], 2);

    step("Output", "The ids application code needs, read from the account instead of copied by hand.");
    await wxconf(emulator, ["output", "-c", CONFIG], 0);

    step("Check the message server", "examples/server/server.mjs in safe mode, called as WeChat calls it: the handshake, a message, every button's event.");
    const port = await freePort();
    const server = spawn(process.execPath, ["examples/server/server.mjs"], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? "",
        WXCONF_SERVER_TOKEN: SERVER_TOKEN,
        WXCONF_SERVER_AES_KEY: SERVER_AES_KEY,
        WXCONF_APP_ID: emulator.appId,
        PORT: String(port),
      },
      stdio: ["ignore", "pipe", "inherit"],
    });
    try {
      await new Promise((resolve) => server.stdout?.once("data", resolve));
      await wxconf(emulator, ["server", "check", "-c", CONFIG, "--url", `http://127.0.0.1:${port}/wechat`, "--mode", "safe"], 0, {
        WXCONF_SERVER_TOKEN: SERVER_TOKEN,
        WXCONF_SERVER_AES_KEY: SERVER_AES_KEY,
      });
    } finally {
      server.kill();
    }

    step("Many accounts", "Two brands in one run (examples/fleet/: a shared base with vars, one brand with its own menu), each with its own secret.");
    const fleet = await startEmulator({ state: loadSeed(`${ROOT}/examples/fleet-state.yaml`) });
    try {
      const secrets = Object.fromEntries(fleet.accounts.map((account) => [`WXCONF_APP_SECRET_${account.appId}`, account.appSecret]));
      await wxconf(fleet, ["plan", "-c", "examples/fleet", "--detailed-exitcode"], 2, secrets);
    } finally {
      await fleet.close();
    }

    process.stdout.write(
      `\n${bold("Done.")} Next: 'npx wxconf emulator --state examples/demo-state.yaml' to try commands yourself,\n` +
        "'npx wxconf import --app-id wx… -o wxconf.yaml' to adopt a real account, and examples/github-actions/ for CI.\n",
    );
  } finally {
    await emulator.close();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
