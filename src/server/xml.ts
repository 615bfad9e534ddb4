// The XML of pushes and replies. Replies are untrusted: a well-kept parser reads them, with no entity
// expansion (a DOCTYPE's entities stay text) and every value a string; pushes are built with CDATA.
import { XMLParser } from "fast-xml-parser";

export type XmlValue = string | XmlFields | XmlValue[];
export interface XmlFields {
  [name: string]: XmlValue;
}

const parser = new XMLParser({
  processEntities: false,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: false,
});

/** The fields under a reply's <xml> root, or undefined when the text is not such an XML document. */
export function parseXml(text: string): XmlFields | undefined {
  if (!text.trimStart().startsWith("<")) return undefined;
  try {
    const parsed = parser.parse(text, true) as unknown;
    const root = (parsed as { xml?: unknown } | null)?.xml;
    return root !== null && typeof root === "object" && !Array.isArray(root) ? (root as XmlFields) : undefined;
  } catch {
    return undefined;
  }
}

/** CDATA that survives any text: a `]]>` inside is split across two sections. */
export function cdata(text: string): string {
  return `<![CDATA[${text.split("]]>").join("]]]]><![CDATA[>")}]]>`;
}

/** `<xml>` with one element per field: strings in CDATA, numbers bare, objects nested. */
export function buildXml(fields: Readonly<Record<string, string | number | Readonly<Record<string, unknown>>>>): string {
  return `<xml>${elements(fields)}</xml>`;
}

function elements(fields: Readonly<Record<string, unknown>>): string {
  return Object.entries(fields)
    .map(([name, value]) => {
      if (typeof value === "number") return `<${name}>${value}</${name}>`;
      if (typeof value === "string") return `<${name}>${cdata(value)}</${name}>`;
      if (Array.isArray(value)) return value.map((item) => `<${name}>${elements(item as Record<string, unknown>)}</${name}>`).join("");
      return `<${name}>${elements(value as Record<string, unknown>)}</${name}>`;
    })
    .join("");
}

export const text = (value: XmlValue | undefined): string | undefined => (typeof value === "string" ? value : undefined);
