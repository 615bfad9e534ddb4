// The live account as a wxconf.yaml a person would have written: WeChat's shapes, names instead of ids,
// and what the ids and counts were as comments. `wxconf plan` on it shows no changes.
import { Document, isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap, type YAMLSeq } from "yaml";
import { canonicalJson } from "../json.js";
import { industryLabel, industryCodeOf, CLIENT_PLATFORM_TYPES, REMOVED_MATCHRULE_FIELDS, MENU_LIMITS, isSystemTag } from "../wechat/rules.js";
import { templateKeywords } from "../resources/templates/index.js";
import type { LiveConditionalMenu, MenuButton } from "../wechat/types.js";
import { consoleMenuButtons, type DroppedButton } from "../resources/menu/console-menu.js";
import type { AccountSnapshot } from "./snapshot.js";

export interface ExportResult {
  yaml: string;
  /** For stderr: what could not be imported, and what to do. */
  notices: string[];
  /** Console-menu buttons the API cannot create (import exits 1 for them unless --lenient). */
  dropped: DroppedButton[];
}

export interface ExportOptions {
  importedAt: Date;
  /** For the yaml-language-server line: where the schema is, relative to the written file. */
  schemaPath: string;
  withMembers: boolean;
}

/** A name for a plan address or a binding: letters of any script, digits and _. */
function identifier(text: string, fallback: string): string {
  const cleaned = text.replace(/[^\p{L}\p{N}_]+/gu, "_").replace(/^_+|_+$/g, "");
  if (cleaned === "") return fallback;
  return /^\p{N}/u.test(cleaned) ? `_${cleaned}` : cleaned;
}

function unique(name: string, taken: Set<string>): string {
  let candidate = name;
  for (let suffix = 2; taken.has(candidate); suffix++) candidate = `${name}_${suffix}`;
  taken.add(candidate);
  return candidate;
}

function ruleName(menu: LiveConditionalMenu, tagNames: ReadonlyMap<number, string>): string {
  const tag = menu.matchrule.tag_id === undefined ? undefined : (tagNames.get(Number(menu.matchrule.tag_id)) ?? `tag_${menu.matchrule.tag_id}`);
  const platform = menu.matchrule.client_platform_type === undefined ? undefined : CLIENT_PLATFORM_TYPES[menu.matchrule.client_platform_type as keyof typeof CLIENT_PLATFORM_TYPES];
  return identifier([tag, platform?.toLowerCase()].filter(Boolean).join("_"), "menu");
}

export function accountToYaml(snapshot: AccountSnapshot, options: ExportOptions): ExportResult {
  const notices: string[] = snapshot.unreadable.map((note) => `not imported: ${note}`);
  const data: Record<string, unknown> = { version: 1, account: { app_id: snapshot.app_id } };
  const comments: Array<(doc: Document) => void> = [];
  const tagNames = new Map((snapshot.tags ?? []).map((tag) => [tag.id, tag.name]));

  // industry
  const { primary, secondary } = snapshot.industry ?? {};
  const primaryCode = primary && industryCodeOf(primary.first_class, primary.second_class);
  const secondaryCode = secondary && industryCodeOf(secondary.first_class, secondary.second_class);
  if (primaryCode && secondaryCode) {
    data.industry = { primary: primaryCode, secondary: secondaryCode };
    comments.push((doc) => {
      mapAt(doc, ["industry"]).flow = false;
      scalarAt(doc, ["industry", "primary"]).comment = ` ${industryLabel(primaryCode)}`;
      scalarAt(doc, ["industry", "secondary"]).comment = ` ${industryLabel(secondaryCode)}`;
    });
  } else if (primary || secondary) {
    notices.push(`not imported: the industry (${[primary, secondary].map((name) => (name ? `${name.first_class} / ${name.second_class}` : "none")).join(", ")}) has no known code`);
  }

  // tags
  if (snapshot.tags) {
    const tags = snapshot.tags.filter((tag) => !isSystemTag(tag.id));
    data.tags = tags.map((tag) => ({ name: tag.name, ...(options.withMembers && { members: snapshot.members[String(tag.id)] ?? [] }) }));
    comments.push((doc) => {
      const list = seqAt(doc, ["tags"]);
      tags.forEach((tag, index) => {
        const item = list.items[index] as YAMLMap;
        if (!options.withMembers) item.flow = true;
        item.comment = ` id ${tag.id}, ${tag.count} follower(s)`;
      });
    });
  }

  // templates
  if (snapshot.templates) {
    const bindings: Record<string, { title: string; keywords: string[] }> = {};
    const names = new Set<string>();
    const seen = new Map<string, string>();
    const described: Array<[string, string]> = [];
    for (const template of snapshot.templates) {
      const keywords = templateKeywords(template.content);
      const identity = canonicalJson([template.title, keywords]);
      const twin = seen.get(identity);
      if (twin) {
        notices.push(`template ${template.template_id} has the same title and keywords as binding '${twin}': it is left out, and listed as not managed by plans`);
        continue;
      }
      const name = unique(identifier(template.title, "template"), names);
      seen.set(identity, name);
      bindings[name] = { title: template.title, keywords };
      described.push([name, template.template_id]);
    }
    data.templates = bindings;
    comments.push((doc) => {
      for (const [name, id] of described) {
        mapAt(doc, ["templates", name]).commentBefore = ` template_id ${id}; add template_id_short (the library number) to re-add it if deleted`;
        seqAt(doc, ["templates", name, "keywords"]).flow = true;
      }
    });
  }

  // the default menu, else a menu made in the MP console
  let dropped: DroppedButton[] = [];
  let menuButtons: MenuButton[] | undefined = snapshot.menu.default?.button;
  if (!menuButtons && snapshot.selfMenu) {
    const converted = consoleMenuButtons(snapshot.selfMenu);
    dropped = converted.dropped;
    if (converted.buttons.length >= MENU_LIMITS.minTopButtons) menuButtons = converted.buttons;
    if (converted.buttons.length > 0 || dropped.length > 0) {
      notices.push("the menu was made in the MP console: menu/get does not show it, so the first apply creates it with the API (it looks the same to followers)");
    }
    for (const button of dropped) {
      notices.push(
        button.missing
          ? `menu button '${button.path}' (type ${button.type}) has no ${button.missing.join(", ")}, which the API needs: left as a comment; add it (for a mini program, the web page older WeChat versions open) to manage the button`
          : `menu button '${button.path}' has type ${button.type}, which the API cannot create: left as a comment (use a click button and answer it from your server, or a view/article_id button)`,
      );
    }
  }
  // Conditional menus need a verified account, as tags do: where tags could not be read, neither are they.
  const conditionalManaged = menuButtons !== undefined && snapshot.tags !== undefined;
  if (menuButtons) {
    data.menu = { button: menuButtons };
    if (conditionalManaged) data.conditional_menus = [];
    comments.push((doc) => {
      flowButtons(seqAt(doc, ["menu", "button"]));
      if (dropped.length > 0) {
        mapAt(doc, ["menu"]).commentBefore = [" Buttons of the console menu the API cannot create:", ...dropped.map((button) => `   ${button.path} (type ${button.type}${button.missing ? `, no ${button.missing.join(", ")}` : ""}: ${button.summary})`)].join("\n");
      }
    });
  } else {
    notices.push("the account has no menu: 'menu' is left out (not managed) until you add one");
  }

  // conditional menus, highest precedence (newest) first
  if (conditionalManaged) {
    const names = new Set<string>();
    const rules = new Set<string>();
    const exported: Array<{ menu: LiveConditionalMenu; name: string; precedence: number }> = [];
    const newestFirst = [...snapshot.menu.conditional].reverse();
    newestFirst.forEach((menu, index) => {
      const removed = REMOVED_MATCHRULE_FIELDS.filter((field) => menu.matchrule[field] !== undefined);
      if (removed.length > 0) {
        notices.push(`conditional menu ${menu.menuid} matches on ${removed.join(", ")}, which WeChat removed (it matches nobody now): left out, so the next apply deletes it`);
        return;
      }
      const rule = canonicalJson(menu.matchrule);
      if (rules.has(rule)) {
        notices.push(`conditional menu ${menu.menuid} has the same rule as a newer one, which always wins: left out, so the next apply deletes it`);
        return;
      }
      rules.add(rule);
      exported.push({ menu, name: unique(ruleName(menu, tagNames), names), precedence: index + 1 });
    });
    data.conditional_menus = exported.map(({ menu, name }) => {
      const tagId = menu.matchrule.tag_id === undefined ? undefined : Number(menu.matchrule.tag_id);
      const tag = tagId === undefined ? undefined : tagNames.get(tagId);
      const matchrule = {
        ...(tag !== undefined ? { tag } : tagId !== undefined ? { tag_id: tagId } : {}),
        ...(menu.matchrule.client_platform_type !== undefined && { client_platform_type: Number(menu.matchrule.client_platform_type) }),
      };
      return { name, matchrule, button: menu.button };
    });
    comments.push((doc) => {
      const list = seqAt(doc, ["conditional_menus"]);
      exported.forEach(({ menu, precedence }, index) => {
        mapAt(doc, ["conditional_menus", index, "matchrule"]).flow = true;
        flowButtons(seqAt(doc, ["conditional_menus", index, "button"]));
        (list.items[index] as YAMLMap).commentBefore = ` precedence ${precedence}, menuid ${menu.menuid}`;
      });
      if (exported.length > 0) keyOf(doc, "conditional_menus").commentBefore = " List order is precedence: the first menu that matches a follower wins.";
    });
  }

  data.prune = { tags: false, templates: false };

  const doc = new Document(data);
  doc.commentBefore = [
    ` yaml-language-server: $schema=${options.schemaPath}`,
    ` Imported from account ${snapshot.app_id} by wxconf import on ${options.importedAt.toISOString().replace(/\.\d+Z$/, "Z")}.`,
    " 'wxconf plan' on this file shows no changes; edit it, review the plan, then 'wxconf apply'.",
  ].join("\n");
  for (const add of comments) add(doc);
  mapAt(doc, ["account"]).comment = " the secret is not written here: set $WXCONF_APP_SECRET (or app_secret: ${VAR})";
  keyOf(doc, "prune").commentBefore = " Live tags and templates this file does not list are left alone; set these to delete them.";
  for (const key of ["industry", "tags", "templates", "menu", "conditional_menus", "prune"]) {
    const pair = pairOf(doc, key);
    if (pair && isScalar(pair.key)) pair.key.spaceBefore = true;
  }
  return { yaml: doc.toString({ lineWidth: 0 }), notices, dropped };
}

function flowButtons(list: YAMLSeq): void {
  for (const item of list.items) {
    const map = item as YAMLMap;
    const children = map.get("sub_button", true);
    if (isSeq(children)) flowButtons(children);
    else map.flow = true;
  }
}

function nodeAt(doc: Document, path: ReadonlyArray<string | number>): Node {
  const node = doc.getIn(path, true);
  if (!node || typeof node !== "object") throw new Error(`export: nothing at ${path.join(".")}`);
  return node as Node;
}
const mapAt = (doc: Document, path: ReadonlyArray<string | number>) => {
  const node = nodeAt(doc, path);
  if (!isMap(node)) throw new Error(`export: ${path.join(".")} is not a mapping`);
  return node;
};
const seqAt = (doc: Document, path: ReadonlyArray<string | number>) => {
  const node = nodeAt(doc, path);
  if (!isSeq(node)) throw new Error(`export: ${path.join(".")} is not a list`);
  return node;
};
const scalarAt = (doc: Document, path: ReadonlyArray<string | number>) => {
  const node = nodeAt(doc, path);
  if (!isScalar(node)) throw new Error(`export: ${path.join(".")} is not a value`);
  return node;
};
function pairOf(doc: Document, key: string): Pair | undefined {
  return isMap(doc.contents) ? (doc.contents.items.find((pair) => isScalar(pair.key) && pair.key.value === key) as Pair | undefined) : undefined;
}
function keyOf(doc: Document, key: string): Node {
  const pair = pairOf(doc, key);
  if (!pair || !isScalar(pair.key)) throw new Error(`export: no key ${key}`);
  return pair.key;
}
