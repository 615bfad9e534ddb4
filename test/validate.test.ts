// `wxconf validate` as a user runs it: the real CLI on a real file, one bad file per rule.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, runCli, workdir } from "./helpers/cli.js";

const HEADER = "version: 1\naccount:\n  app_id: wx0123456789abcdef\n"; // lines 1-3

interface Expected {
  line: number;
  col: number;
  includes: string;
}

async function expectInvalid(body: string, expected: Expected[], env: Record<string, string> = {}) {
  const dir = workdir({ "wxconf.yaml": HEADER + body });
  const result = await runCli(["validate"], { cwd: dir, env });
  expect(result.code).toBe(1);
  expect(result.stdout).toBe("");
  for (const { line, col, includes } of expected) {
    const prefix = `wxconf.yaml:${line}:${col}: `;
    const lines = result.stderr.split("\n").filter((text) => text.startsWith(prefix));
    expect(
      lines.some((text) => text.includes(includes)),
      `expected ${prefix}…${includes}… in:\n${result.stderr}`,
    ).toBe(true);
  }
  expect(result.stderr).toContain(`${expected.length} problem${expected.length === 1 ? "" : "s"} found.`);
  return result;
}

const click = (name: string, key = "K") => `{ name: ${name}, type: click, key: ${key} }`;

describe("wxconf validate: valid files", () => {
  const examples = readdirSync(join(ROOT, "examples")).filter((name) => name.endsWith(".yaml") && !name.endsWith("-state.yaml"));

  it.each(examples)("examples/%s is valid", async (name) => {
    const result = await runCli(["validate", "-c", `examples/${name}`]);
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe(`examples/${name} is valid\n`);
    expect(result.code).toBe(0);
  });

  it("reads wxconf.yaml by default and interpolates ${NAME} from the environment", async () => {
    const dir = workdir({
      "wxconf.yaml":
        "version: 1\naccount:\n  app_id: ${WXCONF_VAR_APP_ID}\n  app_secret: ${MY_SECRET}\nmenu:\n  button: [{ name: 官网, type: view, url: '${WXCONF_VAR_SITE}/home' }]\n",
    });
    const result = await runCli(["validate"], {
      cwd: dir,
      env: { WXCONF_VAR_APP_ID: "wx0123456789abcdef", MY_SECRET: "s3cr3t-value", WXCONF_VAR_SITE: "https://example.com" },
    });
    expect(result.stdout).toBe("wxconf.yaml is valid\n");
    expect(result.code).toBe(0);
  });
});

describe("wxconf validate: the file and YAML", () => {
  it("names a missing file", async () => {
    const result = await runCli(["validate", "-c", "nope.yaml"], { cwd: workdir() });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("nope.yaml: cannot read the configuration file: no such file");
  });

  it("reports YAML syntax errors with their position", async () => {
    await expectInvalid("menu: a: b\n", [{ line: 4, col: 7, includes: "YAML syntax" }]);
  });

  it("refuses duplicate keys, naming the first one", async () => {
    await expectInvalid(`menu:\n  button:\n    - name: a\n      type: click\n      key: A\n      key: B\n`, [
      { line: 9, col: 7, includes: "duplicate key 'key': it is already set at line 8" },
    ]);
  });

  it("refuses an empty file", async () => {
    const dir = workdir({ "wxconf.yaml": "# nothing yet\n" });
    const result = await runCli(["validate"], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("wxconf.yaml:1:1: the file is empty");
  });
});

describe("wxconf validate: the schema", () => {
  it("reports a missing required field at its parent", async () => {
    const dir = workdir({ "wxconf.yaml": "version: 1\naccount:\n  app_secret: ${S}\n" });
    const result = await runCli(["validate"], { cwd: dir, env: { S: "x" } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("wxconf.yaml:3:3: 'account' is missing required field 'app_id'");
  });

  it("suggests the closest name for an unknown key", async () => {
    await expectInvalid(`tags:\n  - naem: VIP\n`, [
      { line: 5, col: 5, includes: "unknown field 'naem' in tags[0] (did you mean 'name'?)" },
      { line: 5, col: 5, includes: "missing required field 'name'" },
    ]);
  });

  it("lists the allowed keys when nothing is close", async () => {
    await expectInvalid(`colour: red\n`, [{ line: 4, col: 1, includes: "unknown field 'colour' at the top level; allowed here: version, account" }]);
  });

  it("tells a 'groups' key that WeChat replaced groups with tags", async () => {
    await expectInvalid(`groups:\n  - name: VIP\n`, [{ line: 4, col: 1, includes: "WeChat replaced user groups with user tags in 2016. Write 'tags'" }]);
  });

  it("reports wrong types in words", async () => {
    await expectInvalid(`menu:\n  button:\n    - { name: a, type: click, key: 1001 }\n`, [
      { line: 6, col: 36, includes: "'key' must be a string (quote it if YAML read it as a number or boolean)" },
    ]);
  });

  it("suggests a button type for a typo", async () => {
    await expectInvalid(`menu:\n  button:\n    - { name: a, type: clik, key: A }\n`, [
      { line: 6, col: 24, includes: "'type' is 'clik' (did you mean 'click'?)" },
    ]);
  });

  it("checks the format of the app id", async () => {
    const dir = workdir({ "wxconf.yaml": "version: 1\naccount:\n  app_id: 12345\n" });
    const result = await runCli(["validate"], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("wxconf.yaml:3:11: 'app_id' must be a string");
  });

  it("requires version 1", async () => {
    const dir = workdir({ "wxconf.yaml": "version: 2\naccount:\n  app_id: wx0123456789abcdef\n" });
    const result = await runCli(["validate"], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("wxconf.yaml:1:10: 'version' must be 1");
  });
});

describe("wxconf validate: WeChat's menu rules", () => {
  it("needs 1 to 3 top-level buttons (none)", async () => {
    await expectInvalid(`menu:\n  button: []\n`, [{ line: 5, col: 11, includes: "a menu has 1 to 3 top-level buttons, this one has 0" }]);
  });

  it("needs 1 to 3 top-level buttons (four)", async () => {
    await expectInvalid(`menu:\n  button:\n${["a", "b", "c", "d"].map((name) => `    - ${click(name)}\n`).join("")}`, [
      { line: 6, col: 5, includes: "this one has 4" },
    ]);
  });

  it("allows at most 5 sub buttons", async () => {
    const subs = ["a", "b", "c", "d", "e", "f"].map((name) => `        - ${click(name)}\n`).join("");
    await expectInvalid(`menu:\n  button:\n    - name: 服务\n      sub_button:\n${subs}`, [
      { line: 8, col: 9, includes: "button '服务' has 6 sub buttons, the limit is 5" },
    ]);
  });

  it("refuses an empty sub_button on a parent", async () => {
    await expectInvalid(`menu:\n  button:\n    - name: 服务\n      sub_button: []\n`, [
      { line: 7, col: 19, includes: "button '服务' has an empty sub_button" },
    ]);
  });

  it("refuses a type on a parent", async () => {
    await expectInvalid(`menu:\n  button:\n    - name: 服务\n      type: view\n      url: https://example.com/\n      sub_button:\n        - ${click("a")}\n`, [
      { line: 7, col: 13, includes: "button '服务' has sub buttons, so it cannot have a type" },
    ]);
  });

  it("measures a top-level name in UTF-8 bytes", async () => {
    await expectInvalid(`menu:\n  button:\n    - { name: 会员中心服务, type: click, key: A }\n`, [
      { line: 6, col: 15, includes: "name '会员中心服务' is 18 bytes, the limit is 16" },
    ]);
  });

  it("allows 60 bytes below the top but not 61", async () => {
    const ok = "一".repeat(20); // 60 bytes
    const long = `${"一".repeat(20)}a`; // 61 bytes
    await expectInvalid(`menu:\n  button:\n    - name: 服务\n      sub_button:\n        - ${click(ok)}\n        - ${click(long)}\n`, [
      { line: 9, col: 19, includes: "is 61 bytes, the limit is 60 for a sub button" },
    ]);
  });

  it("limits a key to 128 bytes", async () => {
    await expectInvalid(`menu:\n  button:\n    - { name: a, type: click, key: ${"K".repeat(129)} }\n`, [
      { line: 6, col: 36, includes: "key is 129 bytes, the limit is 128" },
    ]);
  });

  it("limits a url to 1024 bytes", async () => {
    const url = `https://example.com/${"p".repeat(1005)}`;
    await expectInvalid(`menu:\n  button:\n    - { name: a, type: view, url: "${url}" }\n`, [
      { line: 6, col: 35, includes: "url is 1025 bytes, the limit is 1024" },
    ]);
  });

  it("needs http or https urls", async () => {
    await expectInvalid(`menu:\n  button:\n    - { name: a, type: view, url: "ftp://example.com/" }\n`, [
      { line: 6, col: 35, includes: "url 'ftp://example.com/' must be an absolute http:// or https:// address" },
    ]);
  });

  it.each([
    ["click", "key"],
    ["view", "url"],
    ["scancode_push", "key"],
    ["media_id", "media_id"],
    ["view_limited", "media_id"],
    ["article_id", "article_id"],
    ["article_view_limited", "article_id"],
  ])("a %s button needs its %s", async (type, field) => {
    await expectInvalid(`menu:\n  button:\n    - { name: a, type: ${type} }\n`, [{ line: 6, col: 7, includes: `button 'a' of type ${type} needs '${field}'` }]);
  });

  it("a miniprogram button needs url, appid and pagepath", async () => {
    await expectInvalid(`menu:\n  button:\n    - { name: a, type: miniprogram, appid: wx286b93c14bbf93aa }\n`, [
      { line: 6, col: 7, includes: "needs 'url'" },
      { line: 6, col: 7, includes: "needs 'pagepath'" },
    ]);
  });

  it("a leaf needs a type", async () => {
    await expectInvalid(`menu:\n  button:\n    - { name: a, key: A }\n`, [{ line: 6, col: 7, includes: "button 'a' needs a type" }]);
  });
});

describe("wxconf validate: conditional menus", () => {
  const cm = (name: string, matchrule: string, url = "https://a.example.com/") =>
    `  - name: ${name}\n    matchrule: ${matchrule}\n    button: [{ name: a, type: view, url: "${url}" }]\n`;
  const menu = `menu:\n  button: [${click("a")}]\n`; // lines 4-5

  it("refuses sex, country, province, city and language rules (65320)", async () => {
    await expectInvalid(`${menu}conditional_menus:\n${cm("m", "{ tag: VIP, sex: 1, language: zh_CN }")}`, [
      { line: 8, col: 33, includes: "matchrule 'sex' is no longer supported" },
      { line: 8, col: 46, includes: "matchrule 'language' is no longer supported" },
    ]);
  });

  it("refuses an empty matchrule", async () => {
    await expectInvalid(`${menu}conditional_menus:\n${cm("m", "{}")}`, [{ line: 8, col: 16, includes: "the matchrule is empty" }]);
  });

  it("allows at most 3 URL domains across all conditional menus", async () => {
    const body = ["a", "b", "c", "d"]
      .map((domain, index) => cm(`m${index}`, `{ client_platform_type: ${(index % 3) + 1}, tag: t${index} }`, `https://${domain}.example.com/`))
      .join("");
    await expectInvalid(`${menu}conditional_menus:\n${body}`, [
      { line: 7, col: 3, includes: "conditional menus link to 4 URL domains (a.example.com, b.example.com, c.example.com, d.example.com); WeChat allows 3" },
    ]);
  });

  it("needs a default menu: refuses conditional menus when menu is null", async () => {
    await expectInvalid(`menu: null\nconditional_menus:\n${cm("m", "{ tag: VIP }")}`, [
      { line: 6, col: 3, includes: "conditional menus need a default menu (WeChat answers 65303)" },
    ]);
  });

  it("refuses a matchrule that repeats an earlier one", async () => {
    await expectInvalid(`${menu}conditional_menus:\n${cm("first", "{ tag: VIP }")}${cm("second", "{ tag: VIP }")}`, [
      { line: 11, col: 16, includes: "'second' has the same matchrule as 'first'" },
    ]);
  });

  it("refuses the system groups 0 and 1 as tag ids", async () => {
    await expectInvalid(`${menu}conditional_menus:\n${cm("m", "{ tag_id: 1 }")}`, [{ line: 8, col: 26, includes: "tag id 1 is the system group 黑名单" }]);
  });
});

describe("wxconf validate: tags, templates, industry, secrets", () => {
  it("refuses a tag name used twice", async () => {
    await expectInvalid(`tags:\n  - name: VIP\n  - name: VIP\n`, [{ line: 6, col: 11, includes: "tag name 'VIP' is used twice" }]);
  });

  it("refuses a previous name that another tag uses", async () => {
    await expectInvalid(`tags:\n  - name: VIP\n  - name: 会员\n    previously: [VIP]\n`, [
      { line: 7, col: 18, includes: "tag name 'VIP' is used twice: a previous name of '会员'" },
    ]);
  });

  it("refuses WeChat's reserved tag names", async () => {
    await expectInvalid(`tags:\n  - name: 星标组\n`, [{ line: 5, col: 11, includes: "'星标组' is a WeChat system tag" }]);
  });

  it("refuses more than 100 tags", async () => {
    const tags = Array.from({ length: 101 }, (_, index) => `  - name: t${index}\n`).join("");
    await expectInvalid(`tags:\n${tags}`, [{ line: 5, col: 3, includes: "101 tags are listed, WeChat allows 100 per account" }]);
  });

  it("refuses a tag name over 30 bytes", async () => {
    await expectInvalid(`tags:\n  - name: ${"标".repeat(11)}\n`, [{ line: 5, col: 11, includes: "is 33 bytes, the limit is 30" }]);
  });

  it("refuses more than 25 templates", async () => {
    const bindings = Array.from({ length: 26 }, (_, index) => `  t${index}: { title: T${index}, keywords: [a] }\n`).join("");
    await expectInvalid(`templates:\n${bindings}`, [{ line: 5, col: 3, includes: "26 template bindings are listed, WeChat keeps at most 25" }]);
  });

  it("refuses unknown industry codes", async () => {
    await expectInvalid(`industry: { primary: 1, secondary: 99 }\n`, [{ line: 4, col: 36, includes: "unknown industry code 99" }]);
  });

  it("refuses a literal app_secret", async () => {
    const dir = workdir({ "wxconf.yaml": "version: 1\naccount:\n  app_id: wx0123456789abcdef\n  app_secret: 0123456789abcdef0123456789abcdef\n" });
    const result = await runCli(["validate"], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("wxconf.yaml:4:15: account.app_secret must be a reference like ${WECHAT_APP_SECRET}, not the secret itself");
    expect(result.stderr).not.toContain("0123456789abcdef0123456789abcdef");
  });

  it("names a missing environment variable", async () => {
    await expectInvalid(`menu:\n  button: [{ name: a, type: view, url: "\${WXCONF_VAR_SITE_URL}/x" }]\n`, [
      { line: 5, col: 40, includes: "environment variable WXCONF_VAR_SITE_URL is not set" },
    ]);
  });

  it("reports every problem at once, in file order", async () => {
    const result = await expectInvalid(`tags:\n  - name: 星标组\nmenu:\n  button:\n    - { name: 会员中心服务, type: clik }\n`, [
      { line: 5, col: 11, includes: "system tag" },
      { line: 8, col: 15, includes: "is 18 bytes" },
      { line: 8, col: 29, includes: "did you mean 'click'" },
    ]);
    const positions = result.stderr.split("\n").filter((line) => line.startsWith("wxconf.yaml:"));
    // The errors in file order, then the warnings (the name is wider than the menu bar shows).
    expect(positions.map((line) => line.split(":")[1])).toEqual(["5", "8", "8", "8"]);
    expect(positions.at(-1)).toContain("warning: name '会员中心服务' is wider than WeChat shows");
  });
});
