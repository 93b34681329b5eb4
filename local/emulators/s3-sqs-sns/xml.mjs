// The S3 request and response bodies the bridge reads and writes, through fast-xml-parser. Reading gives each
// element as { name, children, text } (namespace prefixes dropped, child order kept, attributes skipped: no S3
// body we read depends on them), the shape the notification configuration's checks walk.

import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';

export class XmlSyntaxError extends Error {}

const parser = new XMLParser({
  preserveOrder: true,
  removeNSPrefix: true,
  ignoreAttributes: true,
  ignoreDeclaration: true,
  parseTagValue: false,
  trimValues: false,
  htmlEntities: true,
});

const builder = new XMLBuilder({ ignoreAttributes: false, suppressEmptyNode: true });

/**
 * Parses a document and returns its root element as { name, children, text }.
 * Throws XmlSyntaxError on anything that is not well formed, and on a DTD (no S3 body has one).
 */
export function parseXml(source) {
  const text = String(source);
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new XmlSyntaxError(`${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})`);
  if (/<!DOCTYPE/i.test(text)) throw new XmlSyntaxError('DTDs are not accepted');
  const roots = parser.parse(text).map(toElement).filter((e) => e !== undefined);
  if (roots.length !== 1) throw new XmlSyntaxError('expected one root element');
  return roots[0];
}

// fast-xml-parser's ordered form is [{ tag: [children...] }, { '#text': '...' }, ...].
function toElement(node) {
  const name = Object.keys(node).find((k) => k !== ':@');
  if (name === undefined || name === '#text' || name.startsWith('?') || name === '#comment') return undefined;
  const element = { name, children: [], text: '' };
  for (const item of node[name]) {
    if ('#text' in item) element.text += item['#text'];
    else {
      const childElement = toElement(item);
      if (childElement) element.children.push(childElement);
    }
  }
  return element;
}

/** First child element with the given local name, or undefined. */
export function child(element, name) {
  return element.children.find((c) => c.name === name);
}

/** Every child element with the given local name. */
export function childrenNamed(element, name) {
  return element.children.filter((c) => c.name === name);
}

/**
 * An XML document with a declaration, from { Root: { Child: 'text', Repeated: ['a', 'b'], '@_attr': 'v' } }:
 * text is escaped, key order is element order, '' is an empty element.
 */
export function xmlDocument(content) {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build(content)}`;
}
