import type { DesiredState } from "../config/types.js";
import { canonicalJson, sha256 } from "../json.js";
import { conditionalMenusModule } from "../resources/conditional-menus.js";
import { industryModule } from "../resources/industry.js";
import { PlanError, ReadSession, toStep, type LiveState, type PlanContext, type ResourceModule, type StepDraft } from "../resources/kind.js";
import { menuModule } from "../resources/menu.js";
import { tagsModule } from "../resources/tags.js";
import { templatesModule } from "../resources/templates.js";
import type { ReadClient } from "../wechat/client.js";
import { VERSION } from "../version.js";
import { PLAN_FORMAT_VERSION, summarize, type Change, type Fingerprint, type Plan, type ResourceKind, type SafetyFinding, type Step, type Unmanaged } from "./model.js";
import { safetyFindings } from "./safety.js";
import { append } from "../append.js";

/** In the order their diffs run: each may hand facts to the later ones (PlanContext). */
export const RESOURCE_MODULES: readonly ResourceModule[] = [industryModule, tagsModule, templatesModule, menuModule, conditionalMenusModule];

export function managedModules(desired: DesiredState): ResourceModule[] {
  return RESOURCE_MODULES.filter((module) => module.managed(desired));
}

/** Reads what the file's sections need, every kind at once (the session makes each call once). */
export async function readLive(desired: DesiredState, reader: ReadClient): Promise<LiveState> {
  const session = new ReadSession(reader);
  const parts = await Promise.all(managedModules(desired).map((module) => module.read(desired, session)));
  return parts.reduce<LiveState>((live, part) => ({ ...live, ...part, ...(part.members && { members: { ...live.members, ...part.members } }) }), {});
}

const digest = (value: unknown) => `sha256:${sha256(canonicalJson(value))}`;

/** The file and the live facts each kind says its plan depends on (never a volatile counter). */
export function planFingerprint(desired: DesiredState, live: LiveState, modules: readonly ResourceModule[], changes: readonly Change[]): Fingerprint {
  const deleted = new Set(changes.filter((change) => change.actions.includes("delete")).map((change) => change.address));
  const account: Record<string, string> = {};
  for (const module of modules) {
    for (const [address, facts] of Object.entries(module.fingerprint(live, deleted))) account[address] = digest(facts);
  }
  return { file: digest(desired), account };
}

/** The same file, account facts and steps always give the same checksum; any difference in them changes it. */
export function planChecksum(fingerprint: Fingerprint, steps: readonly Step[]): string {
  return digest({ format_version: PLAN_FORMAT_VERSION, fingerprint, steps });
}

/** The plan for this desired state against this live state: pure, no I/O. Throws PlanError when it cannot be applied. */
export function computePlan(configFile: string, desired: DesiredState, live: LiveState): Plan {
  const context: PlanContext = {
    tagIds: new Map((live.tags ?? []).map((tag) => [tag.name, tag.id])),
    templatesDeletedByIndustry: [],
    defaultMenu: live.menu?.default ? "present" : "absent",
  };
  const changes: Change[] = [];
  const drafts: Array<{ draft: StepDraft; kind: ResourceKind }> = [];
  const unmanaged: Unmanaged[] = [];
  const warnings: string[] = [];
  const problems: string[] = [];
  const kindSafety: SafetyFinding[] = [];
  const modules = managedModules(desired);
  for (const module of modules) {
    const part = module.diff(desired, live, context);
    append(changes, part.changes);
    append(drafts, part.steps.map((draft) => ({ draft, kind: module.kind })));
    append(unmanaged, part.unmanaged);
    append(warnings, part.warnings);
    append(problems, part.problems);
    append(kindSafety, part.safety);
  }
  if (problems.length > 0) throw new PlanError(problems);

  // Array.prototype.sort is stable: within a phase, steps keep the order their kind gave them.
  const steps = [...drafts].sort((a, b) => a.draft.phase - b.draft.phase).map(({ draft, kind }, index) => toStep(draft, kind, index + 1));
  const fingerprint = planFingerprint(desired, live, modules, changes);
  return {
    format_version: PLAN_FORMAT_VERSION,
    tool: { name: "wxconf", version: VERSION },
    account: { app_id: desired.app_id },
    config_file: configFile,
    checksum: planChecksum(fingerprint, steps),
    fingerprint,
    managed: modules.map((module) => module.kind),
    changes,
    unmanaged,
    steps,
    summary: summarize(changes, steps),
    safety: [...safetyFindings(changes, live, context.templatesDeletedByIndustry.length), ...kindSafety],
    warnings,
  };
}

export async function makePlan(configFile: string, desired: DesiredState, reader: ReadClient): Promise<{ plan: Plan; live: LiveState }> {
  const live = await readLive(desired, reader);
  return { plan: computePlan(configFile, desired, live), live };
}
