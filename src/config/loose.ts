// Reading data that may still have schema problems: the rule checks run on every file, valid or not.

export type Loose = Record<string, unknown>;

export const asObject = (value: unknown): Loose | undefined =>
  value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Loose) : undefined;
export const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
export const asString = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
