// Names sort the way people read them (issue 14: "Käserei" after "Kontor" and "Éditions" last
// were byte order). The SQL sort key (db/sort-key.ts) must give the order Intl.Collator gives
// for the locales Kontor speaks, and SQLite must compute the same key as the JavaScript twin
// used for cursors.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { sortKey, sortKeySql } from '#db/sort-key';

const NAMES = [
  'Kontor Treuhand AG', 'Käserei Müller AG', 'Éditions Lémaniques SA', 'edition zero', 'Zoë Weiß', 'Zürcher Bank',
  'Zeta', 'zèbre', 'Ångström Labs', 'Œuvre Collective', 'Łukasz Żółć', 'Caffè Nicolò Srl', 'Çetin Bau', 'alpha',
  'Boulangerie Lefèvre', 'Brasserie Ël Cèrvoise', 'Müller & Söhne AG', 'Mueller Consulting', 'Straße 1', 'strasse 2',
];

const collated = (locale: string) => [...NAMES].sort(new Intl.Collator(locale, { sensitivity: 'base' }).compare);

describe('the name sort key', () => {
  it('orders names as Intl.Collator does in de-CH, fr-CH, it-CH and en-GB', () => {
    const byKey = [...NAMES].sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
    for (const locale of ['de-CH', 'fr-CH', 'it-CH', 'en-GB']) expect(byKey, locale).toEqual(collated(locale));
    expect(byKey.indexOf('Käserei Müller AG')).toBeLessThan(byKey.indexOf('Kontor Treuhand AG'));
    expect(byKey.indexOf('Éditions Lémaniques SA')).toBeLessThan(byKey.indexOf('Kontor Treuhand AG'));
  });

  it('is computed the same by SQLite and by JavaScript, decomposed accents included', () => {
    const db = new Database(':memory:');
    try {
      for (const name of [...NAMES, 'Ka\u0308serei', 'E\u0301ditions']) {
        const inSql = db.prepare(`SELECT ${sortKeySql('@name')}`).pluck().get({ name });
        expect(inSql, name).toBe(sortKey(name));
      }
      expect(sortKey('Ka\u0308serei')).toBe('kaserei');
    } finally {
      db.close();
    }
  });
});
