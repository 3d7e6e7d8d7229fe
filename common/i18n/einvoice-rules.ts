// Why a received e-invoice is refused (einvoice_rules_failed): each breach is an EN 16931 rule
// id (BR-CO-15…, language-neutral like the business term BT-112 it names) and one of a few
// kinds of fault, worded here in the person's language. The breaches come from
// core/import/einvoice/rules.ts and the readers beside it.
import type { Locale } from './locale';
import { defineCatalog, lookup, type Params, translate } from './translate';

export const RULE_BREACH_KINDS = ['missing', 'sum', 'decimals', 'number', 'negative', 'date'] as const;

/** One rule a file breaks: `found` and `expected` are amounts as written ("100.01"). */
export interface RuleBreach {
  /** BR-CO-15, BR-16…, or 'syntax' for a value the schema would refuse. */
  rule: string;
  kind: (typeof RULE_BREACH_KINDS)[number];
  /** The business term (BT-112) or group concerned, with the line number for a line's term. */
  term: string;
  found?: string;
  expected?: string;
}

export const ruleBreachMessages = defineCatalog<(typeof RULE_BREACH_KINDS)[number]>({
  en: {
    missing: '{{term}} is missing',
    sum: '{{term}} is {{found}}, the rule gives {{expected}}',
    decimals: '{{term}} has more than two decimals ({{found}})',
    number: '{{term}} is not a number ({{found}})',
    negative: '{{term}} is negative ({{found}})',
    date: '{{term}} is not a date ({{found}})',
  },
  fr: {
    missing: '{{term}} manque',
    sum: '{{term}} vaut {{found}}, la règle donne {{expected}}',
    decimals: '{{term}} a plus de deux décimales ({{found}})',
    number: '{{term}} n’est pas un nombre ({{found}})',
    negative: '{{term}} est négatif ({{found}})',
    date: '{{term}} n’est pas une date ({{found}})',
  },
  de: {
    missing: '{{term}} fehlt',
    sum: '{{term}} ist {{found}}, die Regel ergibt {{expected}}',
    decimals: '{{term}} hat mehr als zwei Dezimalstellen ({{found}})',
    number: '{{term}} ist keine Zahl ({{found}})',
    negative: '{{term}} ist negativ ({{found}})',
    date: '{{term}} ist kein Datum ({{found}})',
  },
});

/** "BR-CO-15: BT-112 is 100.01, the rule gives 100.00; BR-16: BG-25 is missing". */
export function translateBreaches(breaches: readonly RuleBreach[], locale: Locale): string {
  return breaches
    .map((b) => {
      const text =
        lookup(ruleBreachMessages, locale, b.kind) === undefined
          ? b.term
          : translate(ruleBreachMessages, locale, b.kind, {
              term: b.term,
              found: b.found ?? '',
              expected: b.expected ?? '',
            } as Params);
      return `${b.rule}: ${text}`;
    })
    .join('; ');
}
