import { writeOutputBytes, writeOutputFile } from "../sink.js";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { SCHEMA_URL } from "../config/defaults.js";
import { loadConfig } from "../resources/load.js";
import type { Credentials } from "../config/types.js";
import { readAccount } from "../export/snapshot.js";
import { accountToYaml } from "../export/to-yaml.js";
import { openReadClient } from "../wechat/client.js";
import { elapsed, type AccountOptions } from "./account.js";
import type { Console } from "./console.js";
import { EXIT, type ExitCode } from "./exit-codes.js";

export interface ImportOptions extends AccountOptions {
  appId?: string;
  out?: string;
  withMembers?: boolean;
  lenient?: boolean;
  force?: boolean;
}

/** The account's credentials: from --app-id and the environment, or from the file's account section. */
function credentialsFor(options: ImportOptions): Credentials {
  if (options.appId === undefined) return loadConfig(options.config).credentials;
  if (!/^wx[0-9a-f]{16}$/.test(options.appId)) throw new Error(`--app-id '${options.appId}' is not an AppID: 'wx' followed by 16 lower-case hex digits`);
  return { app_id: options.appId };
}

/**
 * The schema for the editor line: this installation's, when it is the project's own (node_modules/wxconf);
 * otherwise (npx's cache, a checkout) where a project that installs wxconf will have it.
 */
function schemaLine(target: string): string {
  const local = relative(dirname(target), fileURLToPath(SCHEMA_URL)).split("\\").join("/");
  if (/(^|\/)node_modules\/wxconf\/schemas\/wxconf\.schema\.json$/.test(local) && !local.includes("_npx/")) return local;
  return "./node_modules/wxconf/schemas/wxconf.schema.json";
}

/** Writes the live account as a wxconf.yaml. Only reads. */
export async function runImport(options: ImportOptions, out: Console): Promise<ExitCode> {
  if (options.out && existsSync(options.out) && !options.force) {
    throw new Error(`${options.out} exists: pass --force to overwrite it, or -o another file`);
  }
  const credentials = credentialsFor(options);
  const client = openReadClient({ credentials, ...(options.apiBase !== undefined && { apiBase: options.apiBase }) });
  try {
    out.error(`Reading account ${credentials.app_id}…`);
    const started = Date.now();
    // Images become assets only when they can be written beside the file (-o).
    const snapshot = await readAccount(client.read, credentials.app_id, { withMembers: options.withMembers === true, withAssets: options.out !== undefined });
    out.error(`Read the account in ${elapsed(started)} with ${client.stats().requests} API call(s).`);
    const target = resolve(options.out ?? "wxconf.yaml");
    const schemaPath = schemaLine(target);
    const result = accountToYaml(snapshot, { importedAt: new Date(), schemaPath, withMembers: options.withMembers === true });
    if (options.out) {
      const folder = dirname(resolve(options.out));
      const clashes = result.files.filter((file) => {
        const existing = readIfExists(join(folder, file.path));
        return existing !== undefined && !existing.equals(file.bytes);
      });
      if (clashes.length > 0 && !options.force)
        throw new Error(`${clashes.map((file) => file.path).join(", ")} exist with other content: pass --force to overwrite, or -o into another folder`);
      for (const file of result.files) {
        mkdirSync(dirname(join(folder, file.path)), { recursive: true });
        writeOutputBytes(join(folder, file.path), file.bytes);
      }
      writeOutputFile(options.out, result.yaml);
      out.error(`Wrote ${options.out}. Check it with 'wxconf plan -c ${options.out}': it should show no changes.`);
    } else {
      out.info(result.yaml.replace(/\n$/, ""));
    }
    for (const notice of result.notices) out.error(`Note: ${notice}`);
    if (result.dropped.length > 0 && !options.lenient) {
      out.error(
        `${result.dropped.length} console-menu button(s) cannot be managed through the API (see the comments in the file); run with --lenient to accept that.`,
      );
      return EXIT.error;
    }
    return EXIT.ok;
  } finally {
    await client.close();
  }
}

function readIfExists(path: string): Buffer | undefined {
  return existsSync(path) ? readFileSync(path) : undefined;
}
