import { ACTORS, type Actor } from './actors';
import { ANYONE, type Who } from './rule';
import { AUTHORITY } from './table';

// The README's "Who may write what" section, generated from the authority table
// (test/unit/authority-readme.test.ts checks it; KONTOR_WRITE_README=1 rewrites it).

export const README_BEGIN = '<!-- authority table: generated from common/authority, do not edit -->';
export const README_END = '<!-- end of authority table -->';

const SHORT: Record<Actor, string> = {
  firm_administrator: 'FA',
  firm_accountant: 'FC',
  legal_representative: 'LR',
  administrator: 'AD',
  accountant: 'AC',
  member: 'ME',
  partner_limited: 'PL',
  partner_complete_client_pays: 'PC',
  partner_complete_partner_pays: 'PP',
};

const who = (w: Who) =>
  w === ANYONE
    ? 'anyone'
    : w.length === 0
      ? 'nobody'
      : ACTORS.filter((a) => w.includes(a))
          .map((a) => SHORT[a])
          .join(' ');

export function authorityMarkdown(): string {
  const lines = [
    README_BEGIN,
    '',
    'Actors, judged against the organization that owns the row: FA firm administrator, FC firm',
    'accountant, LR legal representative, AD administrator, AC accountant, ME member; partners of',
    'that organization: PL limited access, PC complete access paid by the client, PP complete',
    'access paid by the partner. "fixed": set when the row is created, never changed.',
    '',
    '| table | owner | insert | tombstone | update | fixed |',
    '|---|---|---|---|---|---|',
  ];
  const rules: string[] = [];
  for (const [name, rule] of Object.entries(AUTHORITY)) {
    const o = rule.owner;
    const owner =
      'global' in o
        ? 'the firm'
        : 'self' in o
          ? 'itself'
          : 'person' in o
            ? "person's orgs"
            : 'via' in o
              ? `${o.via}.${o.column}`
              : o.column;
    const groups = new Map<string, string[]>();
    const fixed: string[] = [];
    for (const [column, f] of Object.entries(rule.fields)) {
      if (f.update === 'never') fixed.push(column);
      else if (f.update === 'row' || f.update === 'tombstone') continue;
      else {
        const only = f.only
          ? ` (${f.only.actors.map((a) => SHORT[a]).join(' ')}: ${f.only.values.join('/')})`
          : '';
        const k = who(f.update) + only;
        groups.set(k, [...(groups.get(k) ?? []), column]);
      }
    }
    const update = [...groups].map(([k, cols]) => `${cols.join(', ')}: ${k}`).join('; ');
    const insertOnly = (rule.insertOnly ?? [])
      .map((x) => ` (${x.actors.map((a) => SHORT[a]).join(' ')}: ${x.column} ${x.values.join('/')})`)
      .join('');
    const payer = rule.payer
      ? `; payer (${rule.payer.column}) ${who(rule.payer.who)}: ${rule.payer.fields.join(', ')}`
      : '';
    lines.push(
      `| ${name} | ${owner} | ${who(rule.insert)}${insertOnly} | ${who(rule.tombstone)} | ${update || '—'}${payer} | ${fixed.join(', ') || '—'} |`,
    );
    for (const r of rule.rules ?? []) rules.push(`- ${name}: ${r}`);
  }
  lines.push('', 'Rules beyond who:', '', ...rules, '', README_END);
  return lines.join('\n');
}
