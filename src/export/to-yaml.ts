// The live account as a wxconf.yaml a person would have written: each kind writes its section (WeChat's
// shapes, names instead of ids, what the ids and counts were as comments). `wxconf plan` on it shows no
// changes.
import { Document, isScalar } from "yaml";
import { KINDS } from "../resources/index.js";
import type { DroppedButton } from "../resources/kind.js";
import { keyOf, mapAt, pairOf } from "../resources/yaml-doc.js";
import type { AccountSnapshot } from "./snapshot.js";

export interface ExportResult {
  yaml: string;
  /** For stderr: what could not be imported, and what to do. */
  notices: string[];
  /** Console-menu buttons the API cannot create (import exits 1 for them unless --lenient). */
  dropped: DroppedButton[];
  /** Files to write beside the YAML (assets' images), by path relative to it. */
  files: Array<{ path: string; bytes: Uint8Array }>;
}

export interface ExportOptions {
  importedAt: Date;
  /** For the yaml-language-server line: where the schema is, relative to the written file. */
  schemaPath: string;
  withMembers: boolean;
}

export function accountToYaml(snapshot: AccountSnapshot, options: ExportOptions): ExportResult {
  const notices: string[] = snapshot.unreadable.map((entry) => `not imported: ${entry.note}`);
  const data: Record<string, unknown> = { version: 1, account: { app_id: snapshot.app_id } };
  const decorations: Array<(doc: Document) => void> = [];
  const dropped: DroppedButton[] = [];
  const files: ExportResult["files"] = [];
  const unreadable = new Set(snapshot.unreadable.map((entry) => entry.section));
  for (const kind of KINDS) {
    if (!kind.toFile || unreadable.has(kind.section)) continue;
    const section = kind.toFile(snapshot.live, { withMembers: options.withMembers, exported: data });
    if (section.value !== undefined) data[kind.section] = section.value;
    if (section.value !== undefined && section.decorate) decorations.push(section.decorate);
    notices.push(...section.notices);
    dropped.push(...(section.dropped ?? []));
    files.push(...(section.files ?? []));
  }
  const prunable = KINDS.filter((kind) => kind.prunable).map((kind) => kind.section);
  data.prune = Object.fromEntries(prunable.map((section) => [section, false]));

  const doc = new Document(data);
  doc.commentBefore = [
    ` yaml-language-server: $schema=${options.schemaPath}`,
    ` Imported from account ${snapshot.app_id} by wxconf import on ${options.importedAt.toISOString().replace(/\.\d+Z$/, "Z")}.`,
    " 'wxconf plan' on this file shows no changes; edit it, review the plan, then 'wxconf apply'.",
  ].join("\n");
  for (const decorate of decorations) decorate(doc);
  mapAt(doc, ["account"]).comment = " the secret is not written here: set $WXCONF_APP_SECRET (or app_secret: ${VAR})";
  keyOf(doc, "prune").commentBefore = ` Live ${prunable.join(" and ")} this file does not list are left alone; set these to delete them.`;
  for (const key of [...KINDS.map((kind) => kind.section), "prune"]) {
    const pair = pairOf(doc, key);
    if (pair && isScalar(pair.key)) pair.key.spaceBefore = true;
  }
  return { yaml: doc.toString({ lineWidth: 0 }), notices, dropped, files };
}
