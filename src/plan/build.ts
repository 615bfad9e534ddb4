// The planner: reads what the managed kinds need, lets each kind diff its part, orders the steps by their
// dependencies and checksums what the plan depends on. It names no kind: the registry lists them.
import { append } from "../append.js";
import type { DesiredState } from "../resources/kind.js";
import { canonicalSha256 } from "../json.js";
import { managedKinds } from "../resources/index.js";
import {
  PlanError,
  ReadSession,
  type Change,
  type LiveState,
  type PlanFacts,
  type ResourceModule,
  type SafetyFinding,
  type StepDraft,
  type Unmanaged,
} from "../resources/kind.js";
import type { ReadClient } from "../wechat/client.js";
import { ENDPOINTS } from "../wechat/endpoints.js";
import { PACKAGE_VERSION as VERSION } from "../paths.js";
import { PLAN_FORMAT_VERSION, summarize, type Fingerprint, type Plan, type Step } from "./model.js";
import { verifyPlanContract } from "./contract.js";
import { orderSteps } from "./order.js";

/** Reads what the file's sections need, every kind at once (the session makes each call once). */
export async function readLive(desired: DesiredState, reader: ReadClient): Promise<LiveState> {
  const session = new ReadSession(reader);
  const parts = await Promise.all(managedKinds(desired).map((kind) => kind.read(desired, session)));
  const live: LiveState = {};
  for (const part of parts) Object.assign(live, part, part.members && { members: { ...live.members, ...part.members } });
  return live;
}

const digest = (value: unknown) => `sha256:${canonicalSha256(value)}`;

/** The file and the live facts each kind says its plan depends on (never a volatile counter). */
export function planFingerprint(desired: DesiredState, live: LiveState, kinds: readonly ResourceModule[], changes: readonly Change[]): Fingerprint {
  const deleted = new Set(changes.filter((change) => change.actions.includes("delete")).map((change) => change.address));
  const account: Record<string, string> = {};
  for (const kind of kinds) {
    for (const [address, facts] of Object.entries(kind.fingerprint(live, deleted))) account[address] = digest(facts);
  }
  return { file: digest(desired), account };
}

/** The same file, account facts and steps always give the same checksum; any difference in them changes it. */
export function planChecksum(fingerprint: Fingerprint, steps: readonly Step[]): string {
  return digest({ format_version: PLAN_FORMAT_VERSION, fingerprint, steps });
}

function toStep(draft: StepDraft, kind: string, index: number): Step {
  const endpoint = ENDPOINTS[draft.request.endpoint];
  return {
    index,
    id: draft.id,
    ...(draft.groups?.length && { groups: draft.groups }),
    ...(draft.after?.length && { after: draft.after }),
    address: draft.address,
    kind,
    description: draft.description,
    endpoint: draft.request.endpoint,
    method: endpoint.method,
    path: endpoint.path,
    ...(draft.request.query !== undefined && { query: draft.request.query }),
    ...(draft.request.body !== undefined && { body: draft.request.body }),
    ...(draft.produces && { produces: draft.produces }),
  };
}

/** The plan for this desired state against this live state: pure, no I/O. Throws PlanError when it cannot be applied. */
export function computePlan(configFile: string, desired: DesiredState, live: LiveState): Plan {
  const changes: Change[] = [];
  const drafts: Array<{ draft: StepDraft; kind: string; kindOrder: number }> = [];
  const unmanaged: Unmanaged[] = [];
  const warnings: string[] = [];
  const problems: string[] = [];
  const safety: SafetyFinding[] = [];
  const kinds = managedKinds(desired);
  // Each kind sees the facts of the kinds before it in the registry.
  let facts: PlanFacts = {};
  for (const [kindOrder, kind] of kinds.entries()) {
    const part = kind.diff(desired, live, facts);
    facts = { ...facts, ...part.facts };
    append(changes, part.changes);
    append(
      drafts,
      part.steps.map((draft) => ({ draft, kind: kind.kind, kindOrder })),
    );
    append(unmanaged, part.unmanaged);
    append(warnings, part.warnings);
    append(problems, part.problems);
    append(safety, part.safety);
  }
  if (problems.length > 0) throw new PlanError(problems);

  const steps = orderSteps(drafts).map(({ draft, kind }, index) => toStep(draft, kind, index + 1));
  const fingerprint = planFingerprint(desired, live, kinds, changes);
  const plan: Plan = {
    format_version: PLAN_FORMAT_VERSION,
    tool: { name: "wxconf", version: VERSION },
    account: { app_id: desired.app_id },
    config_file: configFile,
    checksum: planChecksum(fingerprint, steps),
    fingerprint,
    managed: kinds.map((kind) => kind.kind),
    changes,
    unmanaged,
    steps,
    summary: summarize(changes, steps),
    safety,
    warnings,
  };
  verifyPlanContract(plan);
  return plan;
}

export async function makePlan(configFile: string, desired: DesiredState, reader: ReadClient): Promise<{ plan: Plan; live: LiveState }> {
  const live = await readLive(desired, reader);
  return { plan: computePlan(configFile, desired, live), live };
}
