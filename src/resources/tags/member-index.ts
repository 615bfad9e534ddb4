// A member list's index (openid -> its position), made once per list: validate finds duplicates
// with it, and the plan's diff looks the live members up in it. For a million members each index is a
// million map operations, the largest cost of planning such a tag; the list is the same object in both.

export interface MemberIndex {
  positions: ReadonlyMap<string, number>;
  /** Positions of items listed before (non-strings are left out: the schema reports them). */
  duplicates: number[];
}

const indexes = new WeakMap<readonly unknown[], MemberIndex>();

export function memberIndex(list: readonly unknown[]): MemberIndex {
  let index = indexes.get(list);
  if (!index) {
    const positions = new Map<string, number>();
    const duplicates: number[] = [];
    list.forEach((item, position) => {
      if (typeof item !== "string") return;
      // One map operation per item: a map that does not grow met a duplicate (whose later position wins:
      // only a file validate refuses has one).
      const before = positions.size;
      if (positions.set(item, position).size === before) duplicates.push(position);
    });
    index = { positions, duplicates };
    indexes.set(list, index);
  }
  return index;
}
