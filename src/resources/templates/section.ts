// The `templates` section: binding name (what application code uses) -> a library template.
import { problemAt, type RuleProblem } from "../../config/issues.js";
import { asArray, asObject, asString, type Loose } from "../../config/loose.js";
import { OLD_LIBRARY_TEMPLATE_ID, TEMPLATE_LIMITS } from "../../wechat/rules.js";

export interface TemplateBinding {
  name: string;
  template_id_short?: string;
  title: string;
  keywords: string[];
}

declare module "../kind.js" {
  interface DesiredSections {
    templates?: TemplateBinding[];
  }
}

const BINDING_NAME = /^[\p{L}_][\p{L}\p{N}_]*$/u;

/** Binding names become keys for application code (`wxconf output`): letters of any script, digits and _. */
export function bindingNameProblem(section: string, what: string, name: string): RuleProblem | undefined {
  if (BINDING_NAME.test(name)) return undefined;
  return {
    path: [section, name],
    at: "key",
    message: `${what} name '${name}' must be a name of letters, digits and _ (not starting with a digit): application code reads it as a key`,
  };
}

export function checkTemplates(file: Readonly<Loose>): RuleProblem[] {
  const bindings = Object.entries(asObject(file.templates) ?? {});
  const problems: RuleProblem[] = [];
  if (bindings.length > TEMPLATE_LIMITS.maxTemplates) {
    problems.push(
      problemAt(["templates"], `${bindings.length} template bindings are listed, WeChat keeps at most ${TEMPLATE_LIMITS.maxTemplates} templates per account`),
    );
  }
  const identities = new Map<string, string>();
  for (const [name, binding] of bindings) {
    const badName = bindingNameProblem("templates", "template binding", name);
    if (badName) problems.push(badName);
    const fields = asObject(binding);
    const short = fields?.template_id_short;
    if (typeof short === "string" && OLD_LIBRARY_TEMPLATE_ID.test(short)) {
      problems.push(
        problemAt(
          ["templates", name, "template_id_short"],
          `'${short}' is an id of the old template library, which WeChat no longer adds (40247: 历史模板库已升级为类目模板): give the numeric id of a category template`,
        ),
      );
    }
    const title = asString(fields?.title);
    const keywords = asArray(fields?.keywords);
    if (title === undefined) continue;
    const identity = JSON.stringify([title, keywords]);
    const twin = identities.get(identity);
    if (twin)
      problems.push(
        problemAt(["templates", name], `bindings '${twin}' and '${name}' have the same title and keywords, so they would be the same template: keep one`),
      );
    identities.set(identity, name);
  }
  return problems;
}

export function templatesFromFile(file: Readonly<Loose>): { templates?: TemplateBinding[] } {
  const templates = file.templates as Record<string, { template_id_short?: string | number; title: string; keywords: string[] }> | undefined;
  if (!templates) return {};
  return {
    templates: Object.entries(templates).map(([name, binding]) => ({
      name,
      ...(binding.template_id_short !== undefined && { template_id_short: String(binding.template_id_short) }),
      title: binding.title,
      keywords: binding.keywords,
    })),
  };
}
