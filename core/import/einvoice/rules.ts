// The EN 16931 rules a received document is checked against before anything is written: the
// mandatory terms (BR-01…BR-27), the arithmetic of the totals (BR-CO-10…17) and of the VAT
// breakdown per category (BR-S-08, BR-AE-08…), with the rule ids CEN's validation artefacts
// give them (../shared/validators/en16931 is the test oracle these follow; the tolerance of
// BR-CO-17 is CEN's own, one currency unit). Code lists and cross-field rules beyond these stay
// with the platforms that deliver the file.
import type { ParsedDocument, RuleBreach } from './received-model';
import { type Breaches, shown } from './values';

/** BR-x-08 per VAT category (UNCL 5305): the breakdown's taxable amount is the lines' sum. */
const CATEGORY_RULE: Record<string, string> = {
  S: 'S',
  Z: 'Z',
  E: 'E',
  AE: 'AE',
  K: 'IC',
  G: 'G',
  O: 'O',
  L: 'IG',
  M: 'IP',
};

export function checkRules(parsed: ParsedDocument, out: Breaches): RuleBreach[] {
  const { invoice: inv, specification, taxExclusiveMinor } = parsed;
  const seen = (term: string) => out.list.some((b) => b.term === term);
  const need = (ok: boolean, rule: string, term: string) => {
    if (!ok && !seen(term)) out.missing(rule, term);
  };
  const sum = (found: number, expected: number, rule: string, term: string, tolerance = 0) => {
    if (Number.isFinite(found) && Number.isFinite(expected) && Math.abs(found - expected) > tolerance)
      out.add({ rule, kind: 'sum', term, found: shown(found), expected: shown(expected) });
  };
  need(Boolean(specification), 'BR-01', 'BT-24');
  need(Boolean(inv.number), 'BR-02', 'BT-1');
  need(Boolean(inv.issueDate), 'BR-03', 'BT-2');
  need(Boolean(inv.typeCode), 'BR-04', 'BT-3');
  need(Boolean(inv.currency), 'BR-05', 'BT-5');
  need(Boolean(inv.seller.name), 'BR-06', 'BT-27');
  need(Boolean(inv.buyer.name), 'BR-07', 'BT-44');
  need(Boolean(inv.seller.address.country), 'BR-09', 'BT-40');
  need(Boolean(inv.buyer.address.country), 'BR-11', 'BT-55');
  const t = inv.totals;
  need(Number.isFinite(t.lineNetMinor), 'BR-12', 'BT-106');
  need(taxExclusiveMinor !== null, 'BR-13', 'BT-109');
  need(Number.isFinite(t.grossMinor), 'BR-14', 'BT-112');
  need(Number.isFinite(t.payableMinor), 'BR-15', 'BT-115');
  need(inv.lines.length > 0, 'BR-16', 'BG-25');
  inv.lines.forEach((l, i) => {
    const at = (term: string) => `${term} (${i + 1})`;
    need(Boolean(l.id), 'BR-21', at('BT-126'));
    need(Number.isFinite(l.quantityMilli), 'BR-22', at('BT-129'));
    need(Boolean(l.unitCode), 'BR-23', at('BT-130'));
    need(Number.isFinite(l.netMinor), 'BR-24', at('BT-131'));
    need(Boolean(l.name), 'BR-25', at('BT-153'));
    need(Number.isFinite(l.priceMinor), 'BR-26', at('BT-146'));
    if (l.priceMinor < 0)
      out.add({ rule: 'BR-27', kind: 'negative', term: at('BT-146'), found: shown(l.priceMinor) });
    need(Boolean(l.category), 'BR-CO-04', at('BT-151'));
  });
  need(inv.vat.length > 0, 'BR-CO-18', 'BG-23');

  const lineSum = inv.lines.reduce((n, l) => n + (Number.isFinite(l.netMinor) ? l.netMinor : 0), 0);
  sum(t.lineNetMinor, lineSum, 'BR-CO-10', 'BT-106');
  const exclusive = t.lineNetMinor - (t.allowanceMinor ?? 0) + (t.chargeMinor ?? 0);
  if (taxExclusiveMinor !== null) sum(taxExclusiveMinor, exclusive, 'BR-CO-13', 'BT-109');
  sum(
    t.taxMinor,
    inv.vat.reduce((n, v) => n + v.taxMinor, 0),
    'BR-CO-14',
    'BT-110',
  );
  sum(t.grossMinor, (taxExclusiveMinor ?? exclusive) + t.taxMinor, 'BR-CO-15', 'BT-112');
  sum(t.payableMinor, t.grossMinor - t.prepaidMinor + (t.roundingMinor ?? 0), 'BR-CO-16', 'BT-115');
  for (const v of inv.vat) {
    // CEN's BR-CO-17: within one currency unit of taxable × rate, rounded to the cent.
    sum(
      v.taxMinor,
      Math.round((v.taxableMinor * v.rateBp) / 10_000),
      'BR-CO-17',
      `BT-117 (${v.category} ${v.rateBp / 100} %)`,
      100,
    );
    // Without document-level allowances or charges, a category's base is exactly its lines.
    if (!t.allowanceMinor && !t.chargeMinor) {
      const base = inv.lines
        .filter((l) => l.category === v.category && (v.category === 'O' || l.rateBp === v.rateBp))
        .reduce((n, l) => n + l.netMinor, 0);
      sum(v.taxableMinor, base, `BR-${CATEGORY_RULE[v.category] ?? v.category}-08`, `BT-116 (${v.category})`);
    }
  }
  return out.list;
}
