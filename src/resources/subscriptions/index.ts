// Subscription notifications (/wxaapi/newtmpl/*): bindings to public templates of the account's categories.
// gettemplate returns no tid and no kids, so a live template is known by its title and the keyword names in
// its content, as template bindings are; the tid and keyword names of the file resolve against the public
// library (getpubtemplatetitles, getpubtemplatekeywords) in the plan, before any write.
import { append } from "../../append.js";
import type { Json } from "../../json.js";
import { requests } from "../../wechat/requests.js";
import { SUBSCRIPTION_DATA_RULES, SUBSCRIPTION_LIMITS } from "../../wechat/rules.js";
import type { ApiSubscription } from "../../wechat/types.js";
import { addressOf, APPLIED, defineKind, type DesiredState, emptyKindPlan, type KindPlan, type LiveState, NOT_APPLIED, type StepDraft } from "../kind.js";
import { templateKeywords } from "../templates/index.js";
import { identifier, mapAt, seqAt, unique } from "../yaml-doc.js";
import { checkSubscriptions, type SubscriptionBinding, subscriptionsFromFile } from "./section.js";

const squash = (text: string) => text.replace(/\s+/g, "");
const identity = (title: string, keywords: readonly string[]) => JSON.stringify([squash(title), keywords.map(squash)]);
const liveIdentity = (template: ApiSubscription) => identity(template.title, templateKeywords(template.content));

/** The data keys of a template's content (`{{thing1.DATA}}`) with their rule (thing) and limit. */
export function dataKeys(content: string, rule: (key: string) => string): Record<string, Json> {
  const keys: Record<string, Json> = {};
  for (const match of content.matchAll(/\{\{\s*([A-Za-z0-9_]+)\.DATA\s*\}\}/g)) {
    const key = match[1] as string;
    const kind = rule(key);
    const limit = SUBSCRIPTION_DATA_RULES[kind];
    keys[key] = { rule: kind, ...(limit?.max !== undefined && { max: limit.max }) };
  }
  return keys;
}

/** A subscription data key's rule is its name without the number: thing1 -> thing, character_string2 -> character_string. */
export const subscriptionRule = (key: string) => key.replace(/\d+$/, "");

export const subscriptionsKind = defineKind({
  kind: "subscription",
  section: "subscriptions",
  check: checkSubscriptions,
  fromFile: subscriptionsFromFile,
  prunable: true,

  async read(desired, session) {
    const tids = [...new Set((desired.subscriptions ?? []).map((binding) => binding.tid))];
    const [subscriptions, titles] = await Promise.all([session.subscriptions(), session.subscriptionTitles()]);
    // Only ask for keywords of titles the library has: WeChat answers an unknown tid with an error,
    // and the diff reports that tid as a problem with suggestions instead.
    const known = tids.filter((tid) => titles.some((title) => title.tid === tid));
    const lists = await Promise.all(known.map((tid) => session.subscriptionKeywords(tid)));
    return { subscriptions, subscriptionLibrary: { titles, keywords: Object.fromEntries(known.map((tid, index) => [tid, lists[index] ?? []])) } };
  },

  diff(desired: DesiredState, live: LiveState): KindPlan {
    const plan = emptyKindPlan();
    const bindings = desired.subscriptions ?? [];
    const titles = live.subscriptionLibrary?.titles ?? [];
    const unclaimed = [...(live.subscriptions ?? [])];
    const bound = new Map<string, ApiSubscription>();
    const adds: StepDraft[] = [];
    for (const binding of bindings) {
      const address = addressOf("subscription", binding.name);
      const resolved = resolve(binding, titles, live.subscriptionLibrary?.keywords[binding.tid] ?? [], address, plan.problems);
      if (!resolved) continue;
      const index = unclaimed.findIndex((template) => liveIdentity(template) === identity(resolved.title, binding.keywords));
      if (index >= 0) {
        bound.set(binding.name, unclaimed.splice(index, 1)[0] as ApiSubscription);
        continue;
      }
      plan.changes.push({
        address,
        kind: "subscription",
        name: binding.name,
        actions: ["create"],
        reason_code: "subscription_missing",
        before: null,
        after: { tid: binding.tid, title: resolved.title, keywords: binding.keywords, scene: binding.scene },
        details: [],
      });
      adds.push({
        id: `${address}:add`,
        address,
        description: `add subscription template ${resolved.title} (tid ${binding.tid}) for ${binding.name}`,
        request: requests.addSubscription(binding.tid, resolved.kids, binding.scene),
        produces: { ref: `${address}.priTmplId`, from: "priTmplId" },
      });
    }

    const deletes: StepDraft[] = [];
    for (const template of unclaimed) {
      const address = addressOf("subscription", template.priTmplId);
      const twinOf = [...bound.entries()].find(([, kept]) => liveIdentity(kept) === liveIdentity(template));
      const before = { priTmplId: template.priTmplId, title: template.title, keywords: templateKeywords(template.content) };
      if (twinOf) {
        // A copy of a bound template (two applies, a hand-made copy): deleted whatever prune says.
        plan.changes.push({
          address,
          kind: "subscription",
          name: template.priTmplId,
          actions: ["delete"],
          reason_code: "duplicate",
          reason_args: { of: addressOf("subscription", twinOf[0]), template_id: twinOf[1].priTmplId },
          before,
          after: null,
          details: [],
        });
      } else if (desired.prune.subscriptions) {
        plan.changes.push({
          address,
          kind: "subscription",
          name: template.priTmplId,
          actions: ["delete"],
          reason_code: "subscription_pruned",
          before,
          after: null,
          details: [],
        });
        plan.safety.push({
          rule: "subscription_in_use",
          address,
          message: `deleting ${template.title} (${template.priTmplId}) breaks every send that still uses its id`,
        });
      } else {
        plan.unmanaged.push({
          address,
          kind: "subscription",
          note: `'${template.title}' (${templateKeywords(template.content).join(", ")}): no binding in the file (set prune.subscriptions to delete it)`,
        });
        continue;
      }
      deletes.push({
        id: `${address}:delete`,
        removes: true,
        address,
        description: `delete subscription template ${template.title} (${template.priTmplId})`,
        request: requests.deleteSubscription(template.priTmplId),
      });
    }
    const after = (live.subscriptions?.length ?? 0) + adds.length - deletes.length;
    if (after > SUBSCRIPTION_LIMITS.maxTemplates)
      plan.problems.push(`the account would hold ${after} subscription templates; WeChat keeps at most ${SUBSCRIPTION_LIMITS.maxTemplates} (200012)`);
    append(plan.steps, [...adds, ...deletes]);
    return plan;
  },

  fingerprint(live) {
    return Object.fromEntries(
      (live.subscriptions ?? []).map((template) => [addressOf("subscription", template.priTmplId), { title: template.title, content: template.content }]),
    );
  },

  // A binding is added only when no live template has its title and keywords, so one that has them now is the one added.
  async confirm(step, body, change, read) {
    const templates = await read.getSubscriptions();
    if (step.endpoint === "subscriptionDelete") return templates.some((template) => template.priTmplId === body.priTmplId) ? NOT_APPLIED : APPLIED;
    const after = (change?.after ?? {}) as { title?: string; keywords?: string[] };
    const added = templates.find((template) => liveIdentity(template) === identity(after.title ?? "", after.keywords ?? []));
    return added ? { applied: true, answer: { priTmplId: added.priTmplId } } : NOT_APPLIED;
  },

  async outputs(desired, session) {
    const bindings = desired.subscriptions ?? [];
    if (bindings.length === 0) return [];
    const [templates, titles] = await Promise.all([session.subscriptions(), session.subscriptionTitles()]);
    const values: Record<string, Json> = {};
    const keys: Record<string, Json> = {};
    const missing: string[] = [];
    for (const binding of bindings) {
      const title = titles.find((candidate) => candidate.tid === binding.tid)?.title ?? "";
      const template = templates.find((candidate) => liveIdentity(candidate) === identity(title, binding.keywords));
      if (!template) {
        missing.push(binding.name);
        continue;
      }
      values[binding.name] = template.priTmplId;
      keys[binding.name] = dataKeys(template.content, subscriptionRule);
    }
    if (missing.length > 0) throw new Error(`no subscription template on the account matches binding(s) ${missing.join(", ")}: run 'wxconf apply' first`);
    return [
      { name: "subscriptions", envPrefix: "WXCONF_SUBSCRIPTION_", values },
      { name: "data_keys", values: keys },
    ];
  },

  async importRead(session) {
    const [subscriptions, titles] = await Promise.all([session.subscriptions(), session.subscriptionTitles()]);
    return { subscriptions, subscriptionLibrary: { titles, keywords: {} } };
  },

  toFile(live) {
    // No section for an account without templates: a plan would read the library for nothing.
    if (!live.subscriptions || live.subscriptions.length === 0) return { notices: [] };
    const notices: string[] = [];
    const bindings: Record<string, { tid: string; keywords: string[]; scene: string }> = {};
    const names = new Set<string>();
    const described: Array<[string, string]> = [];
    for (const template of live.subscriptions) {
      // gettemplate gives no tid: the public template with the same title is the one (the first, when several).
      const tid = live.subscriptionLibrary?.titles.find((title) => title.title === template.title)?.tid;
      if (!tid) {
        notices.push(
          `subscription template ${template.priTmplId} ('${template.title}') is not among the public templates of the account's categories: left out`,
        );
        continue;
      }
      const name = unique(identifier(template.title, "subscription"), names);
      // gettemplate does not give the sceneDesc either: the title stands in for it.
      bindings[name] = { tid, keywords: templateKeywords(template.content), scene: [...template.title].slice(0, SUBSCRIPTION_LIMITS.sceneChars).join("") };
      described.push([name, template.priTmplId]);
    }
    if (described.length > 0)
      notices.push("subscription bindings got their titles as 'scene' (gettemplate does not return sceneDesc): it matters only when a template is added again");
    return {
      value: bindings,
      notices,
      decorate(doc) {
        for (const [name, id] of described) {
          mapAt(doc, ["subscriptions", name]).commentBefore = ` priTmplId ${id}`;
          seqAt(doc, ["subscriptions", name, "keywords"]).flow = true;
        }
      },
    };
  },
});

/** The binding's tid and keyword names, resolved against the public library; problems name the choices. */
function resolve(
  binding: SubscriptionBinding,
  titles: NonNullable<LiveState["subscriptionLibrary"]>["titles"],
  keywords: NonNullable<LiveState["subscriptionLibrary"]>["keywords"][string],
  address: string,
  problems: string[],
): { title: string; kids: number[] } | undefined {
  const title = titles.find((candidate) => candidate.tid === binding.tid);
  if (!title) {
    const choices = titles.slice(0, 10).map((candidate) => `${candidate.tid} ${candidate.title}`);
    problems.push(
      `${address}: tid ${binding.tid} is not a public template of the account's categories${choices.length ? ` (some that are: ${choices.join(", ")}${titles.length > 10 ? ", …" : ""})` : " (the account has none: set its categories in the MP console)"}`,
    );
    return undefined;
  }
  const kids: number[] = [];
  for (const name of binding.keywords) {
    const keyword = keywords.find((candidate) => candidate.name === name);
    if (!keyword) {
      problems.push(
        `${address}: '${title.title}' (tid ${binding.tid}) has no keyword '${name}'; its keywords: ${keywords.map((candidate) => candidate.name).join(", ")}`,
      );
      return undefined;
    }
    kids.push(keyword.kid);
  }
  return { title: title.title, kids };
}
