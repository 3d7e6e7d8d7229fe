// A bank message as a tree of plain objects, read in one strict pass by saxes (a conformant,
// non-validating XML parser: well-formedness, one root, every tag closed — a truncated file is
// an error — predefined and character entities only). It replaced fast-xml-parser's validator
// and parser, two passes that cost a 10k-credit camt.054 ~0.75 s of CPU where saxes takes
// ~0.1 s (test/bench/statement.bench.ts). The shape is the one camt.ts reads:
//   an element with neither attributes nor child elements → its trimmed text ('' when empty);
//   otherwise an object: '@name' per attribute, each child by tag name, '#text' when it has text;
//   a repeated child, or one of `repeated` even alone → an array in document order.
// Nodes have no prototype, so a tag named __proto__ is a key like any other. Callers refuse a
// DTD before (no entity declaration ever reaches this).
import { SaxesParser } from 'saxes';

export type XmlNode = { [key: string]: unknown };

interface Open {
  name: string;
  node: XmlNode;
  text: string;
  attributes: number;
  children: number;
}

/** Deeper than any ISO 20022 message nests (about 12): a nesting bomb is refused early. */
const MAX_DEPTH = 64;

export class XmlTreeError extends Error {}

export function xmlTree(xml: string, repeated: ReadonlySet<string>): XmlNode {
  const root: Open = { name: '', node: Object.create(null), text: '', attributes: 0, children: 0 };
  const stack: Open[] = [root];
  const parser = new SaxesParser({ xmlns: false });
  parser.on('opentag', (tag) => {
    if (stack.length > MAX_DEPTH)
      throw new XmlTreeError(`${parser.line}:${parser.column}: nested deeper than ${MAX_DEPTH}`);
    const node: XmlNode = Object.create(null);
    let attributes = 0;
    for (const [name, value] of Object.entries(tag.attributes as Record<string, string>)) {
      node[`@${name}`] = value;
      attributes++;
    }
    stack.push({ name: tag.name, node, text: '', attributes, children: 0 });
  });
  const addText = (text: string) => {
    (stack[stack.length - 1] as Open).text += text;
  };
  parser.on('text', addText);
  parser.on('cdata', addText);
  parser.on('closetag', () => {
    const done = stack.pop() as Open;
    const parent = stack[stack.length - 1] as Open;
    const text = done.text.trim();
    let value: unknown = text;
    if (done.attributes > 0 || done.children > 0) {
      value = done.node;
      if (text) done.node['#text'] = text;
    }
    const existing = parent.node[done.name];
    if (existing === undefined) parent.node[done.name] = repeated.has(done.name) ? [value] : value;
    // Values are strings or nodes: an array here is one this function made for the name.
    else if (Array.isArray(existing)) existing.push(value);
    else parent.node[done.name] = [existing, value];
    parent.children++;
  });
  try {
    parser.write(xml).close();
  } catch (error) {
    if (error instanceof XmlTreeError) throw error;
    // saxes says where: "line:column: what".
    throw new XmlTreeError(error instanceof Error ? error.message : String(error));
  }
  return root.node;
}
