// Reading a received e-invoice's XML safely: size first, then no DTD at all (EN 16931
// documents never have one; a DTD is how entity expansion and external entities get in), then
// well-formedness, then namespaces resolved for real — every element is renamed to a fixed
// alias of its namespace URI (ram:, cbc:…), so a file that binds the familiar prefixes to other
// namespaces, or uses an undeclared one, is not read as an invoice.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { fail } from '#common/errors';

/** Larger than any real invoice (200 lines of CII are ~200 kB) and small enough to refuse at once. */
export const MAX_XML_BYTES = 10 * 1024 * 1024;
const MAX_DEPTH = 64;

const NAMESPACES: Record<string, string> = {
  'urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100': 'rsm',
  'urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100': 'ram',
  'urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100': 'udt',
  'urn:un:unece:uncefact:data:standard:QualifiedDataType:100': 'qdt',
  'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2': 'inv',
  'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2': 'cn',
  'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2': 'cac',
  'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2': 'cbc',
};

export type XmlNode = { [name: string]: XmlValue };
export type XmlValue = string | XmlNode | XmlValue[];

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  // Identifiers such as 0208 or 00123 stay text: numbers are parsed by the reader, exactly.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  htmlEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

function decodeUtf8(bytes: Uint8Array, file: string): string {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
  const declared = /encoding\s*=\s*["']([^"']+)["']/i.exec(head)?.[1];
  if (declared && !/^utf-?8$/i.test(declared))
    fail('einvoice_malformed', { file, detail: `encoding ${declared} (UTF-8 expected)` });
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return fail('einvoice_malformed', { file, detail: 'not UTF-8' });
  }
}

/** The scope of an element: its parent's, with the element's own xmlns declarations. */
function scopeOf(value: XmlValue, parent: Map<string, string>): Map<string, string> {
  if (typeof value !== 'object' || Array.isArray(value)) return parent;
  let scope = parent;
  for (const [key, v] of Object.entries(value)) {
    if (key === '@xmlns' || key.startsWith('@xmlns:')) {
      if (scope === parent) scope = new Map(parent);
      scope.set(key === '@xmlns' ? '' : key.slice(7), String(v));
    }
  }
  return scope;
}

/** Renames every child element to `alias:local` by its namespace URI ('x' for a foreign one). */
function resolve(node: XmlNode, scope: Map<string, string>, depth: number, file: string): XmlNode {
  if (depth > MAX_DEPTH) fail('einvoice_malformed', { file, detail: `nested deeper than ${MAX_DEPTH}` });
  const out: XmlNode = {};
  for (const [key, v] of Object.entries(node)) {
    if (key.startsWith('@') || key === '#text') {
      if (!key.startsWith('@xmlns')) out[key] = v;
      continue;
    }
    const colon = key.indexOf(':');
    const prefix = colon < 0 ? '' : key.slice(0, colon);
    for (const element of Array.isArray(v) ? v : [v]) {
      const inner = scopeOf(element, scope);
      const uri = inner.get(prefix);
      if (uri === undefined && prefix)
        fail('einvoice_malformed', { file, detail: `undeclared namespace prefix ${prefix}:` });
      const name = `${(uri && NAMESPACES[uri]) || 'x'}:${key.slice(colon + 1)}`;
      const value =
        typeof element === 'object' && !Array.isArray(element)
          ? resolve(element, inner, depth + 1, file)
          : element;
      const before = out[name];
      if (before === undefined) out[name] = value;
      else if (Array.isArray(before)) before.push(value);
      else out[name] = [before, value];
    }
  }
  return out;
}

/** The document's root element (renamed as above) and its content, or a translated refusal. */
export function readXml(bytes: Uint8Array, file: string): { root: string; node: XmlNode; text: string } {
  if (bytes.byteLength > MAX_XML_BYTES)
    fail('einvoice_too_large', { file, max: `${MAX_XML_BYTES / 1024 / 1024} MB` });
  const text = decodeUtf8(bytes, file);
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) fail('einvoice_hostile', { file });
  const valid = XMLValidator.validate(text);
  if (valid !== true)
    fail('einvoice_malformed', { file, detail: `line ${valid.err.line}: ${valid.err.msg}` });
  let parsed: XmlNode;
  try {
    parsed = parser.parse(text) as XmlNode;
  } catch (e) {
    // The parser's own limits (nesting, entity counts) throw plain errors: a refusal of the
    // file, never an internal failure.
    return fail('einvoice_malformed', { file, detail: e instanceof Error ? e.message : String(e) });
  }
  const tree = resolve(parsed, new Map(), 0, file);
  const roots = Object.keys(tree).filter((k) => !k.startsWith('@'));
  const root = roots[0];
  const node = root ? tree[root] : undefined;
  if (roots.length !== 1 || !root || !node || typeof node !== 'object' || Array.isArray(node))
    fail('einvoice_unknown_syntax', { file, root: roots.join(', ') || '—' });
  return { root, node, text };
}

// ── reading values ───────────────────────────────────────────────────────────────────────────

/** Every child `name` of `node` (an element may occur once or many times). */
export function all(node: XmlValue | undefined, name: string): XmlValue[] {
  if (!node || typeof node === 'string' || Array.isArray(node)) return [];
  const v = node[name];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** The first element down `path`, or undefined. */
export function at(node: XmlValue | undefined, ...path: string[]): XmlValue | undefined {
  let cur = node;
  for (const name of path) cur = all(cur, name)[0];
  return cur;
}

/** The text of the first element down `path` (trimmed), or null when absent or empty. */
export function textAt(node: XmlValue | undefined, ...path: string[]): string | null {
  const v = at(node, ...path);
  const t = typeof v === 'string' ? v : v && !Array.isArray(v) ? v['#text'] : undefined;
  return typeof t === 'string' && t.trim() ? t.trim() : null;
}

/** An attribute of the first element down `path`. */
export function attrAt(node: XmlValue | undefined, attr: string, ...path: string[]): string | null {
  const v = at(node, ...path);
  const a = v && typeof v === 'object' && !Array.isArray(v) ? v[`@${attr}`] : undefined;
  return typeof a === 'string' && a.trim() ? a.trim() : null;
}
