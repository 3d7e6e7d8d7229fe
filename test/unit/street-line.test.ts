// The street-splitting rule exists twice: in TypeScript (forms, CSV import) and in SQL
// (migration 0010, which split the streets already in the store). Both must agree.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { composeStreetLine, splitStreetLine } from '#common/street-line';

const CORPUS = [
  'Bahnhofstrasse 12',
  'Rue du Rhône 14bis',
  '12 rue de la Paix',
  '12, rue de la Paix',
  '7 Avenue Louise',
  'Via Roma 3/5',
  'Hauptstraße 4-6',
  'Chemin des Vignes',
  'Postfach 1234',
  'c/o Müller, Bahnhofstr. 5',
  'Rue du 8 Mai 1945',
  'Route 66',
  '1200 Genève',
  'Schützenweg 2a',
  'Łódzka 9',
  'Kirchgasse',
  'Am Markt 1 2',
  'Kirchgasse, Hinterhaus',
  'Route de Lausanne 3, 2e étage',
  '',
];

function sqlSplit(lines: string[]): ({ street: string; buildingNumber: string | null } | null)[] {
  const db = new Database(':memory:');
  db.exec(
    'CREATE TABLE billing_addresses (id text primary key, line1 text not null, street text, building_number text)',
  );
  const insert = db.prepare('INSERT INTO billing_addresses (id, line1) VALUES (?, ?)');
  for (const [i, line] of lines.entries()) insert.run(String(i), line);
  const migration = fs.readFileSync(path.resolve('db/migrations/0010_einvoice_data.sql'), 'utf8');
  for (const statement of migration.split('--> statement-breakpoint')) {
    if (statement.includes('UPDATE `billing_addresses`')) db.exec(statement);
  }
  const rows = db
    .prepare('SELECT street, building_number FROM billing_addresses ORDER BY cast(id as integer)')
    .all() as {
    street: string | null;
    building_number: string | null;
  }[];
  db.close();
  return rows.map((r) =>
    r.street === null ? null : { street: r.street, buildingNumber: r.building_number },
  );
}

describe('street lines', () => {
  it('the migration splits exactly like splitStreetLine', () => {
    expect(sqlSplit(CORPUS)).toEqual(CORPUS.map(splitStreetLine));
  });

  it('splits the unambiguous forms and refuses the rest', () => {
    expect(splitStreetLine('Bahnhofstrasse 12')).toEqual({ street: 'Bahnhofstrasse', buildingNumber: '12' });
    expect(splitStreetLine('12, rue de la Paix')).toEqual({ street: 'rue de la Paix', buildingNumber: '12' });
    expect(splitStreetLine('Chemin des Vignes')).toEqual({
      street: 'Chemin des Vignes',
      buildingNumber: null,
    });
    expect(splitStreetLine('Rue du 8 Mai 1945')).toBeNull();
    expect(splitStreetLine('c/o Müller, Bahnhofstr. 5')).toBeNull();
  });

  it('composes the printed line in the country order', () => {
    expect(composeStreetLine('rue de la Paix', '12', 'FR')).toBe('12 rue de la Paix');
    expect(composeStreetLine('Bahnhofstrasse', '12', 'CH')).toBe('Bahnhofstrasse 12');
    expect(composeStreetLine('Kirchgasse', null, 'DE')).toBe('Kirchgasse');
  });
});
