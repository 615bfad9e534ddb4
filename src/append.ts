/** Adds every item to the end of `target`. Unlike push(...items) it cannot overflow the stack on a long list. */
export function append<T>(target: T[], items: Iterable<T>): void {
  for (const item of items) target.push(item);
}
