// Destructive changes that apply makes only with --allow-destroy (DESIGN.md, "Safety").
import type { Json } from "../json.js";
import type { LiveState } from "../resources/kind.js";
import { isSystemTag } from "../wechat/rules.js";
import { MASS_MINIMUM, MASS_SHARE, type Change, type SafetyFinding } from "./model.js";


const numberIn = (value: Json | null, key: string): number => {
  const field = value && typeof value === "object" && !Array.isArray(value) ? value[key] : undefined;
  return typeof field === "number" ? field : 0;
};

export function safetyFindings(changes: readonly Change[], live: LiveState, templatesDeletedByIndustry: number): SafetyFinding[] {
  const findings: SafetyFinding[] = [];
  const deletes = (kind: Change["kind"]) => changes.filter((change) => change.kind === kind && change.actions.includes("delete") && !change.actions.includes("create"));

  for (const change of deletes("tag")) {
    const followers = numberIn(change.before, "followers");
    if (followers > 0) {
      findings.push({ rule: "tag_with_followers", address: change.address, message: `deleting ${change.address} takes the tag from ${followers} follower(s)` });
    }
  }
  for (const change of deletes("menu")) {
    const conditional = live.menu?.conditional.length ?? 0;
    findings.push({
      rule: "default_menu_delete",
      address: change.address,
      message: `deleting the default menu leaves followers with no menu and deletes every conditional menu (${conditional} now)`,
    });
  }
  const industry = changes.find((change) => change.kind === "industry" && change.actions.includes("update"));
  const templates = live.templates?.length ?? 0;
  if (industry && templates > 0) {
    findings.push({
      rule: "industry_change",
      address: industry.address,
      message: `changing the industry of an account with ${templates} template(s) deletes those of the old industry (${templatesDeletedByIndustry} by this plan)`,
    });
  }

  const userTags = (live.tags ?? []).filter((tag) => !isSystemTag(tag.id)).length;
  const massRules: Array<[Change["kind"], number, number, string]> = [
    ["tag", deletes("tag").length, userTags, "tags"],
    ["template", deletes("template").length + templatesDeletedByIndustry, templates, "templates"],
  ];
  for (const [kind, deleted, total, label] of massRules) {
    if (total >= MASS_MINIMUM && deleted / total > MASS_SHARE) {
      findings.push({
        rule: "mass_delete",
        address: kind,
        message: `deleting ${deleted} of ${total} ${label} (${Math.round((100 * deleted) / total)}%, more than ${MASS_SHARE * 100}% of ${MASS_MINIMUM} or more)`,
      });
    }
  }
  return findings;
}
