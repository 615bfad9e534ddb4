import type { ConfigIssue } from "./issues.js";
import type { MenuButton } from "../wechat/types.js";

// ---- The file as written (after the schema check) ----------------------------------------------------------

export interface ConfigFile {
  version: 1;
  account: { app_id: string; app_secret?: string };
  token_command?: string | string[];
  industry?: { primary: number; secondary: number };
  tags?: Array<{ name: string; previously?: string[]; members?: string[] }>;
  templates?: Record<string, { template_id_short?: string | number; title: string; keywords: string[] }>;
  menu?: { button: MenuButton[] } | null;
  conditional_menus?: Array<{
    name: string;
    matchrule: { tag?: string; tag_id?: string | number; client_platform_type?: string | number };
    button: MenuButton[];
  }>;
  prune?: { tags?: boolean; templates?: boolean };
}

// ---- The desired state: what the plan compares with the account --------------------------------------------
// No credentials here: the plan, its checksum and its JSON are computed from this and must never hold a secret.

export interface DesiredTag {
  name: string;
  previously: string[];
  /** Exact membership; undefined when the file does not manage it. */
  members?: string[];
}

export interface TemplateBinding {
  name: string;
  template_id_short?: string;
  title: string;
  keywords: string[];
}

export interface DesiredMatchrule {
  /** A tag by name, resolved to an id by the plan. */
  tag?: string;
  tag_id?: string;
  client_platform_type?: string;
}

export interface DesiredConditionalMenu {
  name: string;
  matchrule: DesiredMatchrule;
  button: MenuButton[];
}

/** Absent sections are not managed. `menu: null` means the account has no default menu. */
export interface DesiredState {
  app_id: string;
  industry?: { primary: number; secondary: number };
  tags?: DesiredTag[];
  templates?: TemplateBinding[];
  menu?: { button: MenuButton[] } | null;
  /** Highest precedence first, as in the file. */
  conditional_menus?: DesiredConditionalMenu[];
  prune: { tags: boolean; templates: boolean };
}

export interface Credentials {
  app_id: string;
  app_secret?: string;
  token_command?: string | string[];
}

export interface LoadedConfig {
  file: string;
  /** Problems that leave the file valid (WeChat accepts and ignores what they point at). */
  warnings: ConfigIssue[];
  desired: DesiredState;
  credentials: Credentials;
}
