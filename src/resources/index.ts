// The registry: the one list of resource kinds. Their order is the order facts flow between their diffs
// (a kind may use what an earlier one tells: tag ids, templates an industry change deletes); the order
// of API calls comes from the steps' own dependencies.
import { assetsKind } from "./assets/index.js";
import { conditionalMenusKind } from "./conditional-menus/index.js";
import { industryKind } from "./industry/index.js";
import type { DesiredState, ResourceModule } from "./kind.js";
import { menuKind } from "./menu/index.js";
import { subscriptionsKind } from "./subscriptions/index.js";
import { tagsKind } from "./tags/index.js";
import { templatesKind } from "./templates/index.js";

export const KINDS = [industryKind, tagsKind, templatesKind, subscriptionsKind, assetsKind, menuKind, conditionalMenusKind] as const;

/** "industry" | "tag" | "template" | "menu" | "conditional_menu": whatever the registry lists. */
export type ResourceKind = (typeof KINDS)[number]["kind"];

/** The kinds whose section the file has (`menu: null` counts: it manages the menu by deleting it). */
export function managedKinds(desired: DesiredState): ResourceModule[] {
  return KINDS.filter((kind) => desired[kind.section] !== undefined);
}

export function kindOf(name: string): ResourceModule | undefined {
  return KINDS.find((kind) => kind.kind === name);
}
