export const DEFAULT_CONFIG_FILE = "wxconf.yaml";
