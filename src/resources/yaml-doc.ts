// Helpers for the kinds' part of `wxconf import`: finding the nodes of a YAML document to give them the
// comments and the flow style a person would have written.
import { isMap, isScalar, isSeq, type Document, type Node, type Pair, type YAMLMap, type YAMLSeq } from "yaml";

type DocPath = ReadonlyArray<string | number>;

function nodeAt(doc: Document, path: DocPath): Node {
  const node = doc.getIn(path, true);
  if (!node || typeof node !== "object") throw new Error(`import: nothing at ${path.join(".")}`);
  return node as Node;
}

export function mapAt(doc: Document, path: DocPath): YAMLMap {
  const node = nodeAt(doc, path);
  if (!isMap(node)) throw new Error(`import: ${path.join(".")} is not a mapping`);
  return node;
}

export function seqAt(doc: Document, path: DocPath): YAMLSeq {
  const node = nodeAt(doc, path);
  if (!isSeq(node)) throw new Error(`import: ${path.join(".")} is not a list`);
  return node;
}

export function scalarAt(doc: Document, path: DocPath) {
  const node = nodeAt(doc, path);
  if (!isScalar(node)) throw new Error(`import: ${path.join(".")} is not a value`);
  return node;
}

export function pairOf(doc: Document, key: string): Pair | undefined {
  return isMap(doc.contents) ? (doc.contents.items.find((pair) => isScalar(pair.key) && pair.key.value === key) as Pair | undefined) : undefined;
}

/** The key node of a top-level section, for a comment above it. */
export function keyOf(doc: Document, key: string): Node {
  const pair = pairOf(doc, key);
  if (!pair || !isScalar(pair.key)) throw new Error(`import: no key ${key}`);
  return pair.key;
}

/** Leaf buttons on one line each (`{ name: a, type: click, key: A }`), parents as blocks. */
export function flowButtons(list: YAMLSeq): void {
  for (const item of list.items) {
    const map = item as YAMLMap;
    const children = map.get("sub_button", true);
    if (isSeq(children)) flowButtons(children);
    else map.flow = true;
  }
}

/** A name for a plan address or a binding: letters of any script, digits and _. */
export function identifier(text: string, fallback: string): string {
  const cleaned = text.replace(/[^\p{L}\p{N}_]+/gu, "_").replace(/^_+|_+$/g, "");
  if (cleaned === "") return fallback;
  return /^\p{N}/u.test(cleaned) ? `_${cleaned}` : cleaned;
}

export function unique(name: string, taken: Set<string>): string {
  let candidate = name;
  for (let suffix = 2; taken.has(candidate); suffix++) candidate = `${name}_${suffix}`;
  taken.add(candidate);
  return candidate;
}
