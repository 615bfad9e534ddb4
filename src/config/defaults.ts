import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { PACKAGE_ROOT } from "../paths.js";

export const DEFAULT_CONFIG_FILE = "wxconf.yaml";

/** The JSON Schema of the file (also for editors, through yaml-language-server). */
export const SCHEMA_URL = pathToFileURL(join(PACKAGE_ROOT, "schemas", "wxconf.schema.json"));
