/** A binary min-heap: `before(a, b)` says whether a comes out first. */
export class Heap<T> {
  private readonly items: T[] = [];
  constructor(private readonly before: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.items.length;
  }

  push(item: T): void {
    const items = this.items;
    items.push(item);
    for (let child = items.length - 1; child > 0; ) {
      const parent = (child - 1) >> 1;
      if (!this.before(items[child] as T, items[parent] as T)) break;
      [items[child], items[parent]] = [items[parent] as T, items[child] as T];
      child = parent;
    }
  }

  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) {
      items[0] = last;
      for (let parent = 0; ; ) {
        const left = 2 * parent + 1;
        const right = left + 1;
        let best = parent;
        if (left < items.length && this.before(items[left] as T, items[best] as T)) best = left;
        if (right < items.length && this.before(items[right] as T, items[best] as T)) best = right;
        if (best === parent) break;
        [items[best], items[parent]] = [items[parent] as T, items[best] as T];
        parent = best;
      }
    }
    return top;
  }
}
