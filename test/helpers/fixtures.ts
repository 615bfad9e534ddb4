// The real payloads of public SDKs' test suites, read from ../shared/fixtures/wechat/ (never copied into
// this project). Tests that use them say so in their name and are skipped only where the folder is absent.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./cli.js";

export const FIXTURES_DIR = join(ROOT, "..", "shared", "fixtures", "wechat");
export const FIXTURES_PRESENT = existsSync(FIXTURES_DIR);

if (!FIXTURES_PRESENT) {
  process.stderr.write(`note: ${FIXTURES_DIR} is absent; the tests on real WeChat payloads are skipped\n`);
}

export function fixtureText(name: string): string {
  return readFileSync(join(FIXTURES_DIR, name), "utf8");
}

export function fixture<T = unknown>(name: string): T {
  return JSON.parse(fixtureText(name)) as T;
}
