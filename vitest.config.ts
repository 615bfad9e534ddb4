import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // CLI tests spawn node processes; two cores are shared with the emulator.
    maxWorkers: 2,
    // Every plan the suite makes, in process or in a CLI child, is checked against schemas/plan.schema.json.
    env: { WXCONF_VERIFY_PLANS: "1" },
  },
});
