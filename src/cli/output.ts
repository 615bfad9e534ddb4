import { readAccount } from "../export/snapshot.js";
import { matchTemplates } from "../resources/templates/index.js";
import { isSystemTag } from "../wechat/rules.js";
import type { MenuButton } from "../wechat/types.js";
import { openForReading, type AccountOptions } from "./account.js";
import type { Console } from "./console.js";
import { EXIT, type ExitCode } from "./exit-codes.js";

export interface OutputOptions extends AccountOptions {
  format: "json" | "env";
}

export interface Outputs {
  /** Binding name -> template_id. */
  templates: Record<string, string>;
  /** Tag name -> id. */
  tags: Record<string, number>;
  /** Click (and other event) keys of the live menus -> the button's name. */
  menu_keys: Record<string, string>;
}

function keysOf(buttons: readonly MenuButton[], into: Record<string, string>): void {
  for (const button of buttons) {
    if (button.key !== undefined) into[button.key] = button.name;
    if (button.sub_button) keysOf(button.sub_button, into);
  }
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/**
 * Values come from the server, and the lines go to $GITHUB_ENV or `eval`: only characters that mean
 * nothing to either (no newline, quote, $, space, backslash or `) pass.
 */
const ENV_SAFE_VALUE = /^[A-Za-z0-9_.:@%+=\/-]*$/;

/** The ids application code needs, read from the live account (never copied by hand). */
export async function runOutput(options: OutputOptions, out: Console): Promise<ExitCode> {
  const { config, client } = openForReading(options, out);
  try {
    const snapshot = await readAccount(client.read, config.desired.app_id, { withMembers: false, withSelfMenu: false, withIndustry: false });
    const bindings = config.desired.templates ?? [];
    const { bound } = matchTemplates(bindings, snapshot.templates ?? []);
    const missing = bindings.filter((binding) => !bound.has(binding.name)).map((binding) => binding.name);
    if (missing.length > 0) throw new Error(`no template on the account matches binding(s) ${missing.join(", ")}: run 'wxconf apply' first`);

    const liveTags = (snapshot.tags ?? []).filter((tag) => !isSystemTag(tag.id));
    const wanted = config.desired.tags?.map((tag) => tag.name);
    const absent = (wanted ?? []).filter((name) => !liveTags.some((tag) => tag.name === name));
    if (absent.length > 0) throw new Error(`tag(s) ${absent.join(", ")} are not on the account: run 'wxconf apply' first`);

    const outputs: Outputs = {
      templates: Object.fromEntries([...bound].map(([name, template]) => [name, template.template_id])),
      tags: Object.fromEntries(liveTags.filter((tag) => !wanted || wanted.includes(tag.name)).map((tag) => [tag.name, tag.id])),
      menu_keys: {},
    };
    for (const menu of [snapshot.menu.default, ...snapshot.menu.conditional]) if (menu) keysOf(menu.button, outputs.menu_keys);

    if (options.format === "json") {
      out.info(JSON.stringify(outputs, null, 2));
      return EXIT.ok;
    }
    const lines: string[] = [];
    const skipped: string[] = [];
    const unsafe: string[] = [];
    const add = (prefix: string, name: string, value: string | number) => {
      if (!ENV_NAME.test(name)) skipped.push(name);
      else if (!ENV_SAFE_VALUE.test(String(value))) unsafe.push(name);
      else lines.push(`${prefix}${name.toUpperCase()}=${value}`);
    };
    for (const [name, id] of Object.entries(outputs.templates)) add("WXCONF_TEMPLATE_", name, id);
    for (const [name, id] of Object.entries(outputs.tags)) add("WXCONF_TAG_", name, id);
    if (unsafe.length > 0) {
      // Nothing is printed: a partial env file would hide the problem.
      out.error(
        `Refused: the account's value for ${unsafe.join(", ")} has characters that are not safe in an env file or shell (newline, quote, $, space...); ` +
          "a WeChat id never has them, so the answer is suspect. Use --format json to see it.",
      );
      return EXIT.error;
    }
    out.info(lines.join("\n"));
    if (skipped.length > 0) out.error(`Not in the env format (names must be ASCII letters, digits and _): ${skipped.join(", ")}; use --format json`);
    return EXIT.ok;
  } finally {
    await client.close();
  }
}
