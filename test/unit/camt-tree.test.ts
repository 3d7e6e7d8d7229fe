// The bank message reader's tree (core/import/bank/camt-tree.ts, saxes): the shape camt.ts
// reads, every well-formedness fault refused with where it is, and hostile shapes kept harmless.
import { describe, expect, it } from 'vitest';
import { XmlTreeError, xmlTree } from '#core/import/bank/camt-tree';

const REPEATED = new Set(['Ntry', 'Ustrd']);
const plain = (v: unknown) => JSON.parse(JSON.stringify(v));

describe('the camt tree', () => {
  it('gives leaves as trimmed text, attributes with @, repeated elements as arrays', () => {
    const tree = xmlTree(
      `<?xml version="1.0" encoding="UTF-8"?>
      <Document xmlns="urn:x"><Rpt>
        <Ntry><Amt Ccy="CHF"> 12.30 </Amt><Ref/><Ustrd>A &amp; B</Ustrd><Ustrd>&#x41;2</Ustrd></Ntry>
        <Other>1</Other><Other>2</Other>
      </Rpt></Document>`,
      REPEATED,
    );
    expect(plain(tree)).toEqual({
      Document: {
        '@xmlns': 'urn:x',
        Rpt: {
          Ntry: [{ Amt: { '@Ccy': 'CHF', '#text': '12.30' }, Ref: '', Ustrd: ['A & B', 'A2'] }],
          Other: ['1', '2'],
        },
      },
    });
  });

  it.each([
    ['a truncated file', '<Document><Ntry><Amt>1', /unclosed/i],
    ['a mismatched end tag', '<Document><Ntry></Amt></Document>', /closing tag|unexpected/i],
    ['text after the root', '<Document/>trailing', /text outside|root/i],
    ['two roots', '<Document/><Document/>', /root|more than one/i],
    ['a duplicate attribute', '<Document a="1" a="2"/>', /duplicate|twice|already/i],
    ['an undefined entity', '<Document>&x;</Document>', /entity/i],
    ['a bare <', '<Document>1 < 2</Document>', /./],
  ])('refuses %s, saying where', (_what, xml, message) => {
    let error: unknown;
    try {
      xmlTree(xml, REPEATED);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(XmlTreeError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toMatch(/^\d+:\d+: /);
  });

  it('keeps a tag named __proto__ a plain key, polluting nothing', () => {
    const tree = xmlTree('<Document><__proto__><polluted>yes</polluted></__proto__></Document>', REPEATED);
    const doc = tree.Document as Record<string, unknown>;
    expect(Object.getPrototypeOf(doc)).toBeNull();
    const own = Object.getOwnPropertyDescriptor(doc, '__proto__');
    expect(plain(own?.value)).toEqual({ polluted: 'yes' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses a nesting bomb before it grows', () => {
    const depth = 100;
    const xml = `${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}`;
    expect(() => xmlTree(xml, REPEATED)).toThrow(/nested deeper than 64/);
  });
});
