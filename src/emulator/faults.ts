// Faults on request, reproducible by seed: random ones at a rate, and exact ones by rule for tests.

export const FAULT_KINDS = ["busy", "minute_quota", "slow", "drop", "lost_write", "busy_after_write"] as const;
/**
 * - busy: errcode -1 (system busy), nothing applied;
 * - minute_quota: errcode 45011, nothing applied;
 * - slow: the answer comes after `slowMs`;
 * - drop: the connection is closed before the request is processed;
 * - lost_write: the request is processed (a write is applied), then the connection is closed unanswered;
 * - busy_after_write: the request is processed (a write is applied), then answered errcode -1, as WeChat
 *   sometimes does to a create that took effect.
 */
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultRule {
  /** The API path it applies to; every path when absent. */
  path?: string;
  kind: FaultKind;
  /** How many matching calls it hits (default 1). */
  times?: number;
  /** How many matching calls pass unharmed first (default 0). */
  skip?: number;
}

export interface FaultOptions {
  /** Probability that a call gets a random fault, 0 to 1. */
  rate?: number;
  /** The kinds random faults are drawn from (default all). */
  kinds?: FaultKind[];
  rules?: FaultRule[];
  slowMs?: number;
}

/** A small seeded PRNG (mulberry32): the same seed gives the same faults on the same calls. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Faults {
  private readonly rules: Array<Required<Omit<FaultRule, "path">> & { path?: string }> = [];
  private readonly random: () => number;
  rate: number;
  readonly slowMs: number;
  private readonly kinds: readonly FaultKind[];

  constructor(options: FaultOptions = {}, seed = 1) {
    this.random = seededRandom(seed);
    this.rate = options.rate ?? 0;
    this.kinds = options.kinds ?? FAULT_KINDS;
    this.slowMs = options.slowMs ?? 2_000;
    for (const rule of options.rules ?? []) this.add(rule);
  }

  add(rule: FaultRule): void {
    this.rules.push({ ...rule, times: rule.times ?? 1, skip: rule.skip ?? 0 });
  }

  clear(): void {
    this.rules.length = 0;
    this.rate = 0;
  }

  /** The fault for this call, if any. A lost write on a read is a dropped answer. */
  next(path: string, write: boolean): FaultKind | undefined {
    const rule = this.rules.find((candidate) => candidate.times > 0 && (candidate.path === undefined || candidate.path === path));
    if (rule) {
      if (rule.skip > 0) {
        rule.skip--;
        return undefined;
      }
      rule.times--;
      return rule.kind;
    }
    if (this.rate <= 0 || this.random() >= this.rate) return undefined;
    const kind = this.kinds[Math.floor(this.random() * this.kinds.length)] ?? "busy";
    if (!write && kind === "lost_write") return "drop";
    if (!write && kind === "busy_after_write") return "busy";
    return kind;
  }
}
