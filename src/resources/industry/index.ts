import type { Json } from "../../json.js";

import { requests } from "../../wechat/requests.js";
import { industryCodeOf, industryLabel } from "../../wechat/rules.js";
import type { ApiTemplate, IndustryName } from "../../wechat/types.js";
import { APPLIED, defineKind, emptyKindPlan, NOT_APPLIED, type Detail, type KindPlan, type LiveState, type PlanFacts, type DesiredState } from "../kind.js";
import { mapAt, scalarAt } from "../yaml-doc.js";
import { checkIndustry, industryFromFile } from "./section.js";

/** The industry step's id: templates of the new industry are added after it. */
export const INDUSTRY_SET = "industry:set";

type Slot = "primary" | "secondary";
const SLOTS: readonly Slot[] = ["primary", "secondary"];

const codeOf = (name: IndustryName | undefined): number | undefined => (name ? industryCodeOf(name.first_class, name.second_class) : undefined);

function describe(name: IndustryName | undefined): Json {
  if (!name) return null;
  const code = codeOf(name);
  return { code: code ?? null, name: `${name.first_class} / ${name.second_class}` };
}

/** The industry a template belongs to, from the names the template list gives. */
export function templateIndustryCode(template: ApiTemplate): number | undefined {
  return industryCodeOf(template.primary_industry, template.deputy_industry);
}

export const industryKind = defineKind({
  kind: "industry",
  section: "industry",
  check: checkIndustry,
  fromFile: industryFromFile,

  // The template list is read too: an industry change deletes templates, and the plan says which.
  async read(_desired, session) {
    const [industry, templates] = await Promise.all([session.industry(), session.templates()]);
    return { industry, templates };
  },

  diff(desired: DesiredState, live: LiveState, _facts: PlanFacts): KindPlan {
    const plan = emptyKindPlan();
    const wanted = desired.industry;
    const current = live.industry ?? {};
    if (!wanted) return plan;
    const changed = SLOTS.filter((slot) => codeOf(current[slot]) !== wanted[slot]);
    if (changed.length === 0) return plan;

    const isSet = current.primary !== undefined || current.secondary !== undefined;
    const deleted = (live.templates ?? []).filter((template) => {
      const code = templateIndustryCode(template);
      return code !== wanted.primary && code !== wanted.secondary;
    });
    const templatesDeletedByIndustry = isSet ? deleted : [];
    plan.facts = { templatesDeletedByIndustry };

    plan.changes.push({
      address: "industry",
      kind: "industry",
      name: "industry",
      actions: [isSet ? "update" : "create"],
      ...(isSet
        ? { reason_code: "industry_changed", reason_args: { slots: changed.map((slot) => ({ slot, code: wanted[slot], label: industryLabel(wanted[slot]) })) } }
        : { reason_code: "industry_unset" }),
      before: isSet ? { primary: describe(current.primary), secondary: describe(current.secondary) } : null,
      after: {
        primary: { code: wanted.primary, name: industryLabel(wanted.primary) },
        secondary: { code: wanted.secondary, name: industryLabel(wanted.secondary) },
      },
      details: [
        ...changed.map((slot): Detail => {
          const after = `${wanted[slot]} ${industryLabel(wanted[slot])}`;
          const was = current[slot];
          return was
            ? { path: slot, action: "update", before: `${codeOf(was) ?? "?"} ${was.first_class} / ${was.second_class}`, after }
            : { path: slot, action: "create", after };
        }),
        ...templatesDeletedByIndustry.map((template) => ({
          path: `template ${template.title}`,
          action: "delete" as const,
          before: template.template_id,
          note: "WeChat deletes the templates of an industry that is no longer set",
        })),
      ],
    });
    plan.steps.push({
      id: INDUSTRY_SET,
      address: "industry",
      description: `set the template industries to ${wanted.primary} and ${wanted.secondary}`,
      request: requests.setIndustry(wanted.primary, wanted.secondary),
    });
    plan.warnings.push("WeChat lets an account change its template industry about once a month: apply this change when you mean it.");
    const templates = live.templates?.length ?? 0;
    if (isSet && templates > 0) {
      plan.safety.push({
        rule: "industry_change",
        address: "industry",
        message: `changing the industry of an account with ${templates} template(s) deletes those of the old industry (${templatesDeletedByIndustry.length} by this plan)`,
      });
    }
    return plan;
  },

  async importRead(session) {
    return { industry: await session.industry() };
  },

  toFile(live) {
    const { primary, secondary } = live.industry ?? {};
    const primaryCode = codeOf(primary);
    const secondaryCode = codeOf(secondary);
    if (primaryCode && secondaryCode) {
      return {
        value: { primary: primaryCode, secondary: secondaryCode },
        notices: [],
        decorate(doc) {
          mapAt(doc, ["industry"]).flow = false;
          scalarAt(doc, ["industry", "primary"]).comment = ` ${industryLabel(primaryCode)}`;
          scalarAt(doc, ["industry", "secondary"]).comment = ` ${industryLabel(secondaryCode)}`;
        },
      };
    }
    if (!primary && !secondary) return { notices: [] };
    return {
      notices: [
        `not imported: the industry (${[primary, secondary].map((name) => (name ? `${name.first_class} / ${name.second_class}` : "none")).join(", ")}) has no known code`,
      ],
    };
  },

  fingerprint(live) {
    const { primary, secondary } = live.industry ?? {};
    return { industry: { primary: primary ? { ...primary } : null, secondary: secondary ? { ...secondary } : null } };
  },

  async confirm(_step, body, _change, read) {
    const industry = await read.getIndustry();
    const set = codeOf(industry.primary) === Number(body.industry_id1) && codeOf(industry.secondary) === Number(body.industry_id2);
    return set ? APPLIED : NOT_APPLIED;
  },
});
