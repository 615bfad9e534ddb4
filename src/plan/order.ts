// Orders a plan's steps by the dependencies the kinds declared: a topological sort (Kahn's algorithm).
// Among the steps that may run next: first those that remove nothing, in the order the kinds listed them;
// then deletes that something else waits for (a conditional menu's delete before an add); last the other
// deletes, the later kinds' first (the reverse of the registry: what may refer to an object goes before
// it), so that nothing is removed before everything that can be made is made.
import { Heap } from "../heap.js";
import type { StepDraft } from "../resources/kind.js";

/** Steps are nodes 0..n-1 in the kinds' order; groups are virtual nodes after them. */
interface Node {
  removes: boolean;
  /** The position of the step's kind in the registry. */
  kindOrder: number;
  waitingOn: number;
  next: number[];
  previous: number[];
  /** A delete that a step which removes nothing waits for, directly or not. */
  needed: boolean;
}

const node = (removes: boolean, kindOrder: number): Node => ({ removes, kindOrder, waitingOn: 0, next: [], previous: [], needed: false });

/** Thrown for a dependency cycle: a bug in a kind, never a user's mistake. */
export class StepCycleError extends Error {
  constructor(readonly ids: string[]) {
    super(`bug: these steps depend on each other in a cycle, so no order can run them: ${ids.slice(0, 10).join(", ")}${ids.length > 10 ? ", …" : ""}`);
    this.name = "StepCycleError";
  }
}

/**
 * The drafts in an order that honours every `after`; each group is one virtual node, so that "after every
 * untagging" costs one edge per step, not one per pair.
 */
export function orderSteps<T extends { draft: StepDraft; kindOrder: number }>(items: readonly T[]): T[] {
  const nodes: Node[] = items.map(({ draft, kindOrder }) => node(draft.removes === true, kindOrder));
  const byName = new Map<string, number[]>();
  const named = (name: string, node: number) => {
    const list = byName.get(name);
    if (list) list.push(node);
    else byName.set(name, [node]);
  };
  items.forEach(({ draft }, index) => {
    named(draft.id, index);
  });
  const groups = new Map<string, number>();
  items.forEach(({ draft }, index) => {
    for (const group of draft.groups ?? []) {
      let groupNode = groups.get(group);
      if (groupNode === undefined) {
        groupNode = nodes.push(node(false, 0)) - 1;
        groups.set(group, groupNode);
        named(group, groupNode);
      }
      edge(nodes, index, groupNode);
    }
  });
  items.forEach(({ draft }, index) => {
    for (const name of new Set(draft.after ?? [])) for (const before of byName.get(name) ?? []) if (before !== index) edge(nodes, before, index);
  });

  markNeeded(nodes, items.length);
  const ready = queueOf(nodes, items.length);
  nodes.forEach((node, index) => {
    if (node.waitingOn === 0) ready.push(index);
  });
  const ordered: T[] = [];
  let processed = 0;
  for (let index = ready.pop(); index !== undefined; index = ready.pop()) {
    processed++;
    if (index < items.length) ordered.push(items[index] as T);
    for (const next of (nodes[index] as Node).next) {
      const waiting = nodes[next] as Node;
      if (--waiting.waitingOn === 0) ready.push(next);
    }
  }
  if (processed < nodes.length) {
    throw new StepCycleError(items.filter((_, index) => (nodes[index] as Node).waitingOn > 0).map(({ draft }) => draft.id));
  }
  return ordered;
}

function edge(nodes: Node[], from: number, to: number): void {
  (nodes[from] as Node).next.push(to);
  (nodes[to] as Node).previous.push(from);
  (nodes[to] as Node).waitingOn++;
}

/** Marks every delete that some step which removes nothing waits for, through any chain of dependencies. */
function markNeeded(nodes: Node[], steps: number): void {
  const visited = new Set<number>();
  const stack: number[] = [];
  for (let index = 0; index < steps; index++) if (!(nodes[index] as Node).removes) stack.push(index);
  while (stack.length > 0) {
    const index = stack.pop() as number;
    for (const before of (nodes[index] as Node).previous) {
      if (visited.has(before)) continue;
      visited.add(before);
      (nodes[before] as Node).needed = true;
      stack.push(before);
    }
  }
}

/** Best first: groups (they emit nothing), then steps as the header says. */
function queueOf(nodes: readonly Node[], steps: number): Heap<number> {
  const rank = (index: number): [number, number, number] => {
    if (index >= steps) return [-1, 0, index];
    const step = nodes[index] as Node;
    if (!step.removes) return [0, 0, index];
    return step.needed ? [1, 0, index] : [2, -step.kindOrder, index];
  };
  return new Heap<number>((a, b) => {
    const ra = rank(a);
    const rb = rank(b);
    for (let part = 0; part < 3; part++) if (ra[part] !== rb[part]) return (ra[part] as number) < (rb[part] as number);
    return false;
  });
}
