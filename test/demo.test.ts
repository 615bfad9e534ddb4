// `npm run demo` is the README's first command: it must run the whole flow on a fresh clone.
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { ROOT } from "./helpers/cli.js";

describe("the demo", () => {
  it("validates, plans, applies, plans again, sees a console edit as drift, prints the ids and checks the message server", async () => {
    const { code, stdout } = await new Promise<{ code: number; stdout: string }>((resolve) => {
      const child = spawn(process.execPath, ["dist/demo/demo.js"], { cwd: ROOT, env: { PATH: process.env.PATH ?? "" } });
      let output = "";
      child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.on("close", (status) => resolve({ code: status ?? -1, stdout: output }));
    });
    expect(code).toBe(0);
    const order = [
      "━━ 1/9 Validate",
      "examples/demo.yaml is valid",
      "━━ 2/9 Plan",
      "+ matchrule: tag 新品体验 (id known after apply)",
      "━━ 3/9 Apply",
      "Apply complete! Resources: 5 added, 3 changed, 0 destroyed.",
      "(the emulator counted 9 write calls)",
      "━━ 4/9 Plan again",
      "No changes. The account matches the configuration.",
      "━━ 6/9 Drift",
      '~ 服务 > 官网: url: "https://edited-by-hand.example.com/" -> "https://example.com/"',
      "Drift: 2 difference(s)",
      "━━ 7/9 Output",
      '"order_shipped":',
      "━━ 8/9 Check the message server",
      "checks, 0 failed",
      "━━ 9/9 Many accounts",
      "2 account(s): 0 with errors, 1 that differ.",
      "Done.",
    ];
    let position = 0;
    for (const text of order) {
      const found = stdout.indexOf(text, position);
      expect(found, `'${text}' after position ${position} in:\n${stdout}`).toBeGreaterThanOrEqual(0);
      position = found;
    }
  });
});
