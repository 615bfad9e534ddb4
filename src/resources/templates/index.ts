import { requests } from "../../wechat/requests.js";
import { TEMPLATE_LIMITS } from "../../wechat/rules.js";
import type { ApiTemplate } from "../../wechat/types.js";
import { INDUSTRY_SET } from "../industry/index.js";
import {
  addressOf,
  APPLIED,
  defineKind,
  emptyKindPlan,
  massDelete,
  NOT_APPLIED,
  type KindPlan,
  type LiveState,
  type PlanFacts,
  type StepDraft,
  type DesiredState,
} from "../kind.js";

/** Deletes that must run before the adds (only when the 25-template cap requires it). */
const DELETES_FIRST = "template:delete-first";
import { append } from "../../append.js";
import { identifier, mapAt, seqAt, unique } from "../yaml-doc.js";
import { checkTemplates, templatesFromFile, type TemplateBinding } from "./section.js";

const PLACEHOLDER = /\{\s*\{\s*([A-Za-z0-9_]+)\.DATA\s*\}\s*\}/;

/**
 * The keyword names of a template, from its content: each line is `名称：{{keywordN.DATA}}` (or `:`), and
 * the first/remark lines of old library templates have no name. The list API does not return them otherwise.
 */
export function templateKeywords(content: string): string[] {
  const keywords: string[] = [];
  for (const line of content.split(/\r?\n/)) {
    const match = PLACEHOLDER.exec(line);
    if (!match) continue;
    const label = line
      .slice(0, match.index)
      // : or the full-width ：
      .replace(/[:\uFF1A]\s*$/, "")
      .replace(/\s+/g, " ")
      .trim();
    if (label !== "") keywords.push(label);
  }
  return keywords;
}

/** Titles and keywords compare without white space: the content's layout is not the template's identity. */
const squash = (text: string) => text.replace(/\s+/g, "");
const identity = (title: string, keywords: readonly string[]) => JSON.stringify([squash(title), keywords.map(squash)]);

export function bindingMatches(binding: Pick<TemplateBinding, "title" | "keywords">, template: ApiTemplate): boolean {
  return identity(binding.title, binding.keywords) === identity(template.title, templateKeywords(template.content));
}

/** Binds each binding to the first live template with its title and keywords, each template at most once. */
export function matchTemplates(bindings: readonly TemplateBinding[], templates: readonly ApiTemplate[]) {
  const claimed = new Set<string>();
  const bound = new Map<string, ApiTemplate>();
  for (const binding of bindings) {
    const template = templates.find((candidate) => !claimed.has(candidate.template_id) && bindingMatches(binding, candidate));
    if (template) {
      claimed.add(template.template_id);
      bound.set(binding.name, template);
    }
  }
  return { bound, unbound: templates.filter((template) => !claimed.has(template.template_id)) };
}

export const templatesKind = defineKind({
  kind: "template",
  section: "templates",
  check: checkTemplates,
  fromFile: templatesFromFile,

  async read(_desired, session) {
    return { templates: await session.templates() };
  },

  diff(desired: DesiredState, live: LiveState, facts: PlanFacts): KindPlan {
    const plan = emptyKindPlan();
    const bindings = desired.templates ?? [];
    const deletedByIndustry = facts.templatesDeletedByIndustry ?? [];
    const goneWithIndustry = new Set(deletedByIndustry.map((template) => template.template_id));
    const remaining = (live.templates ?? []).filter((template) => !goneWithIndustry.has(template.template_id));
    const { bound, unbound } = matchTemplates(bindings, remaining);
    const before = matchTemplates(bindings, live.templates ?? []).bound;

    const adds: StepDraft[] = [];
    for (const binding of bindings) {
      if (bound.has(binding.name)) continue;
      const address = addressOf("template", binding.name);
      const lost = before.get(binding.name);
      if (binding.template_id_short === undefined) {
        plan.problems.push(
          `${address}: ${lost ? "the industry change deletes its template" : `no template on the account has the title '${binding.title}' and the keywords ${binding.keywords.join(", ")}`}, and the binding has no template_id_short to add one`,
        );
        continue;
      }
      plan.changes.push({
        address,
        kind: "template",
        name: binding.name,
        actions: ["create"],
        ...(lost ? { reason_code: "industry_deletes", reason_args: { template_id: lost.template_id } } : { reason_code: "template_missing" }),
        before: null,
        after: { title: binding.title, keywords: binding.keywords, template_id_short: binding.template_id_short },
        details: [],
      });
      // After the industry is set: a template belongs to one.
      adds.push({
        id: `${address}:add`,
        after: [INDUSTRY_SET, DELETES_FIRST],
        address,
        description: `add template ${binding.title} (${binding.template_id_short}) for ${binding.name}`,
        request: requests.addTemplate(binding.template_id_short, binding.keywords),
        produces: { ref: `${address}.template_id`, from: "template_id" },
      });
    }

    const deletes: StepDraft[] = [];
    for (const template of unbound) {
      const address = addressOf("template", template.template_id);
      // A second template with a binding's title and keywords (two applies at once, a hand-made copy) cannot
      // be told from the bound one: it goes whatever prune says, so that each binding has exactly one.
      const twinOf = bindings.find((binding) => bound.has(binding.name) && bindingMatches(binding, template));
      if (!twinOf && !desired.prune.templates) {
        plan.unmanaged.push({
          address,
          kind: "template",
          note: `'${template.title}' (${templateKeywords(template.content).join(", ")}): no binding in the file (set prune.templates to delete it)`,
        });
        continue;
      }
      plan.changes.push({
        address,
        kind: "template",
        name: template.template_id,
        actions: ["delete"],
        ...(twinOf
          ? {
              reason_code: "duplicate",
              reason_args: { of: addressOf("template", twinOf.name), template_id: bound.get(twinOf.name)?.template_id ?? "?" },
            }
          : { reason_code: "template_pruned" }),
        before: { template_id: template.template_id, title: template.title, keywords: templateKeywords(template.content) },
        after: null,
        details: [],
      });
      deletes.push({
        id: `${address}:delete`,
        removes: true,
        address,
        description: `delete ${twinOf ? "duplicate " : ""}template ${template.title} (${template.template_id})`,
        request: requests.deleteTemplate(template.template_id),
      });
    }

    const count = remaining.length + adds.length;
    if (count > TEMPLATE_LIMITS.maxTemplates) {
      if (count - deletes.length > TEMPLATE_LIMITS.maxTemplates) {
        plan.problems.push(
          `the account would hold ${count - deletes.length} templates; WeChat keeps at most ${TEMPLATE_LIMITS.maxTemplates} (45026): set prune.templates or remove bindings`,
        );
      } else {
        // Deleting first is the only order that stays within WeChat's cap.
        for (const step of deletes) step.groups = [DELETES_FIRST];
        plan.warnings.push(`templates are deleted before new ones are added: the account would otherwise pass WeChat's cap of ${TEMPLATE_LIMITS.maxTemplates}`);
      }
    }
    append(plan.steps, [...adds, ...deletes]);
    append(plan.safety, massDelete("template", "templates", deletes.length + deletedByIndustry.length, (live.templates ?? []).length));
    return plan;
  },

  prunable: true,

  async importRead(session) {
    return { templates: await session.templates() };
  },

  toFile(live) {
    if (!live.templates) return { notices: [] };
    const notices: string[] = [];
    const bindings: Record<string, { title: string; keywords: string[] }> = {};
    const names = new Set<string>();
    const seen = new Map<string, string>();
    const described: Array<[string, string]> = [];
    for (const template of live.templates) {
      const keywords = templateKeywords(template.content);
      const twin = seen.get(identity(template.title, keywords));
      if (twin) {
        notices.push(
          `template ${template.template_id} has the same title and keywords as binding '${twin}': it is left out, and the next apply deletes it as a duplicate`,
        );
        continue;
      }
      const name = unique(identifier(template.title, "template"), names);
      seen.set(identity(template.title, keywords), name);
      bindings[name] = { title: template.title, keywords };
      described.push([name, template.template_id]);
    }
    return {
      value: bindings,
      notices,
      decorate(doc) {
        for (const [name, id] of described) {
          mapAt(doc, ["templates", name]).commentBefore = ` template_id ${id}; add template_id_short (the library number) to re-add it if deleted`;
          seqAt(doc, ["templates", name, "keywords"]).flow = true;
        }
      },
    };
  },

  async outputs(desired, session) {
    const bindings = desired.templates ?? [];
    const { bound } = matchTemplates(bindings, await session.templates());
    const missing = bindings.filter((binding) => !bound.has(binding.name)).map((binding) => binding.name);
    if (missing.length > 0) throw new Error(`no template on the account matches binding(s) ${missing.join(", ")}: run 'wxconf apply' first`);
    // Since 2023 every field of a template message takes at most 20 characters (wechat-api.md §12.2).
    const dataKeys = (content: string) =>
      Object.fromEntries([...content.matchAll(/\{\{\s*([A-Za-z0-9_]+)\.DATA\s*\}\}/g)].map((match) => [match[1] as string, { rule: "text", max: 20 }]));
    return [
      { name: "templates", envPrefix: "WXCONF_TEMPLATE_", values: Object.fromEntries([...bound].map(([name, template]) => [name, template.template_id])) },
      { name: "data_keys", values: Object.fromEntries([...bound].map(([name, template]) => [name, dataKeys(template.content)])) },
    ];
  },

  fingerprint(live) {
    return Object.fromEntries((live.templates ?? []).map((template) => [addressOf("template", template.template_id), { ...template }]));
  },

  // A binding is added only when no live template matches it, so one that matches now is the one added.
  async confirm(step, body, change, read) {
    const templates = await read.getTemplates();
    if (step.endpoint === "templateDelete") return templates.some((template) => template.template_id === body.template_id) ? NOT_APPLIED : APPLIED;
    const after = (change?.after ?? {}) as { title?: string };
    const keywords = Array.isArray(body.keyword_name_list) ? body.keyword_name_list.map(String) : [];
    const added = templates.find((template) => bindingMatches({ title: after.title ?? "", keywords }, template));
    return added ? { applied: true, answer: { template_id: added.template_id } } : NOT_APPLIED;
  },
});
