// The `subscriptions` section: binding name -> a public subscription template of the account's categories.
import { problemAt, type RuleProblem } from "../../config/issues.js";
import { asArray, asObject, asString, type Loose } from "../../config/loose.js";
import { SUBSCRIPTION_LIMITS } from "../../wechat/rules.js";
import { bindingNameProblem } from "../templates/section.js";

export interface SubscriptionBinding {
  name: string;
  /** getpubtemplatetitles' tid. */
  tid: string;
  /** Keyword names in order (the kidList, by name). */
  keywords: string[];
  /** sceneDesc. */
  scene: string;
}

declare module "../kind.js" {
  interface DesiredSections {
    subscriptions?: SubscriptionBinding[];
  }
}

export function checkSubscriptions(file: Readonly<Loose>): RuleProblem[] {
  const bindings = Object.entries(asObject(file.subscriptions) ?? {});
  const problems: RuleProblem[] = [];
  if (bindings.length > SUBSCRIPTION_LIMITS.maxTemplates) {
    problems.push(
      problemAt(["subscriptions"], `${bindings.length} subscription bindings are listed, WeChat keeps at most ${SUBSCRIPTION_LIMITS.maxTemplates} (200012)`),
    );
  }
  const identities = new Map<string, string>();
  for (const [name, binding] of bindings) {
    const badName = bindingNameProblem("subscriptions", "subscription binding", name);
    if (badName) problems.push(badName);
    const fields = asObject(binding);
    const scene = asString(fields?.scene);
    if (scene !== undefined && [...scene].length > SUBSCRIPTION_LIMITS.sceneChars) {
      problems.push(
        problemAt(
          ["subscriptions", name, "scene"],
          `scene is ${[...scene].length} characters; WeChat's sceneDesc takes at most ${SUBSCRIPTION_LIMITS.sceneChars}`,
        ),
      );
    }
    const keywords = asArray(fields?.keywords);
    if (keywords.length < SUBSCRIPTION_LIMITS.minKeywords || keywords.length > SUBSCRIPTION_LIMITS.maxKeywords) {
      problems.push(
        problemAt(
          ["subscriptions", name, "keywords"],
          `a subscription template takes ${SUBSCRIPTION_LIMITS.minKeywords} to ${SUBSCRIPTION_LIMITS.maxKeywords} keywords, not ${keywords.length}`,
        ),
      );
    }
    const identity = JSON.stringify([fields?.tid, keywords]);
    const twin = identities.get(identity);
    if (twin) problems.push(problemAt(["subscriptions", name], `bindings '${twin}' and '${name}' name the same template and keywords: keep one`));
    identities.set(identity, name);
  }
  return problems;
}

export function subscriptionsFromFile(file: Readonly<Loose>): { subscriptions?: SubscriptionBinding[] } {
  const section = file.subscriptions as Record<string, { tid: string | number; keywords: string[]; scene: string }> | undefined;
  if (!section) return {};
  return {
    subscriptions: Object.entries(section).map(([name, binding]) => ({ name, tid: String(binding.tid), keywords: binding.keywords, scene: binding.scene })),
  };
}
