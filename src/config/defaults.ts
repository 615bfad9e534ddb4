export const DEFAULT_CONFIG_FILE = "wxconf.yaml";

/** The JSON Schema of the file, one level above both src/ and dist/ (also for editors). */
export const SCHEMA_URL = new URL("../../schemas/wxconf.schema.json", import.meta.url);
