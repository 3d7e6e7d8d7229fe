import type { Router } from '../api/router';
import { addDays } from '#common/dates';
import { intBetween, pick, prng } from './prng';

// Real-looking organizations from the countries Kontor's users bill: accented names, both
// currencies, valid VAT numbers and UIDs (check digits computed, not copied).
interface OrgSeed {
  country: string;
  currency: 'CHF' | 'EUR';
  names: string[];
  cities: [string, string][];
  streets: string[];
  vat: (random: () => number) => string | null;
}

function swissUid(random: () => number): string {
  for (;;) {
    const digits = Array.from({ length: 8 }, () => intBetween(random, 0, 9));
    if (digits[0] === 0) continue;
    const weights = [5, 4, 3, 2, 7, 6, 5, 4];
    const sum = digits.reduce((acc, d, i) => acc + d * (weights[i] as number), 0);
    let check = 11 - (sum % 11);
    if (check === 11) check = 0;
    if (check === 10) continue;
    const all = [...digits, check].join('');
    return `CHE-${all.slice(0, 3)}.${all.slice(3, 6)}.${all.slice(6, 9)}`;
  }
}

function germanVat(random: () => number): string {
  // ISO 7064 MOD 11,10 over 8 digits.
  const digits = [intBetween(random, 1, 9), ...Array.from({ length: 7 }, () => intBetween(random, 0, 9))];
  let product = 10;
  for (const d of digits) {
    let sum = (d + product) % 10;
    if (sum === 0) sum = 10;
    product = (2 * sum) % 11;
  }
  const check = (11 - product) % 10;
  return `DE${digits.join('')}${check}`;
}

function frenchVat(random: () => number): string {
  // SIREN with a Luhn digit, then the numeric key (12 + 3 × (SIREN mod 97)) mod 97.
  const body = Array.from({ length: 8 }, () => intBetween(random, 0, 9));
  body[0] = intBetween(random, 1, 9);
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    let d = body[7 - i] as number;
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  const siren = `${body.join('')}${(10 - (sum % 10)) % 10}`;
  const key = (12 + 3 * (Number(siren) % 97)) % 97;
  return `FR${String(key).padStart(2, '0')}${siren}`;
}

function italianVat(random: () => number): string {
  const digits = [
    ...Array.from({ length: 7 }, () => intBetween(random, 0, 9)),
    0,
    0,
    intBetween(random, 1, 9),
  ];
  digits[0] = intBetween(random, 1, 9);
  let sum = 0;
  digits.forEach((d, i) => {
    if (i % 2 === 1) {
      const x = d * 2;
      sum += x > 9 ? x - 9 : x;
    } else sum += d;
  });
  return `IT${digits.join('')}${(10 - (sum % 10)) % 10}`;
}

function belgianVat(random: () => number): string {
  // Ten digits: a leading 0, seven more, then 97 − (first eight mod 97).
  const base = intBetween(random, 2_000_000, 9_999_999);
  const check = 97 - (base % 97);
  return `BE0${base}${String(check).padStart(2, '0')}`;
}

const SEEDS: OrgSeed[] = [
  {
    country: 'CH',
    currency: 'CHF',
    names: [
      'Müller & Söhne AG',
      'Boulangerie Rochat Sàrl',
      'Zürcher Treuhand GmbH',
      'Atelier Léonie Favre',
      'Bergbahnen Engelberg AG',
      'Fondation Éclat',
      'Käserei Grüter',
      'Cabinet Dubois & Associés',
    ],
    cities: [
      ['8001', 'Zürich'],
      ['1003', 'Lausanne'],
      ['1204', 'Genève'],
      ['3011', 'Bern'],
      ['6900', 'Lugano'],
      ['2000', 'Neuchâtel'],
    ],
    streets: ['Bahnhofstrasse 12', 'Rue du Rhône 48', 'Avenue de la Gare 3', 'Marktgasse 7', 'Via Nassa 21'],
    vat: () => null,
  },
  {
    country: 'FR',
    currency: 'EUR',
    names: [
      'Boulangerie Lefèvre',
      'Éditions du Léman',
      'Société Générale d’Événements',
      'Château Bégué',
      'Garage Côté Sud',
      'Atelier Noël & Fils',
    ],
    cities: [
      ['75011', 'Paris'],
      ['69002', 'Lyon'],
      ['74000', 'Annecy'],
      ['13001', 'Marseille'],
    ],
    streets: ['12 rue de la Paix', '5 place Bellecour', '8 avenue Jean-Jaurès', '21 quai des Célestins'],
    vat: frenchVat,
  },
  {
    country: 'DE',
    currency: 'EUR',
    names: [
      'Bäckerei Schäfer GmbH',
      'Grünwald Architekten',
      'Müßig & Weiß KG',
      'Straßenbau Köhler AG',
      'Jürgen Özdemir IT-Service',
    ],
    cities: [
      ['10115', 'Berlin'],
      ['80331', 'München'],
      ['50667', 'Köln'],
      ['79098', 'Freiburg im Breisgau'],
    ],
    streets: ['Hauptstraße 5', 'Königsallee 27', 'Schloßplatz 1', 'Gartenweg 14'],
    vat: germanVat,
  },
  {
    country: 'IT',
    currency: 'EUR',
    names: ['Caffè Nicolò Srl', 'Pasticceria Città Alta', 'Studio Legale Bellà', 'Cantina Sant’Agnese'],
    cities: [
      ['20121', 'Milano'],
      ['22100', 'Como'],
      ['00184', 'Roma'],
      ['24129', 'Bergamo'],
    ],
    streets: ['Via Garibaldi 8', 'Corso Venezia 16', 'Piazza del Duomo 2'],
    vat: italianVat,
  },
  {
    country: 'BE',
    currency: 'EUR',
    names: ['Brasserie Ël Cèrvoise', 'Chocolaterie Dumoulin', 'Van den Broeck & Zoon', 'Fiduciaire Wéry'],
    cities: [
      ['1000', 'Bruxelles'],
      ['4000', 'Liège'],
      ['2000', 'Antwerpen'],
      ['5000', 'Namur'],
    ],
    streets: ['Rue Neuve 30', 'Grote Markt 4', 'Boulevard d’Avroy 9'],
    vat: belgianVat,
  },
];

const FIRST = [
  'Élodie',
  'Jürg',
  'Zoë',
  'François',
  'Anaïs',
  'Björn',
  'Łukasz',
  'Chloé',
  'Matthäus',
  'Noémie',
  'Giulia',
  'Oğuz',
  'Renée',
  'Søren',
  'Inès',
];
const LAST = [
  'Müller',
  'Dubois',
  'Rossi',
  'Schäfer',
  'Lefèvre',
  'Favre',
  'Kovačić',
  'Nüesch',
  'García',
  'Peeters',
  'Lévêque',
  'Weiß',
];
const PRODUCT_NAMES: Record<string, string[]> = {
  web_hosting: ['Site vitrine', 'Webshop', 'Intranet', 'Blog', 'Landing page'],
  mail_hosting: ['Mail Service', 'Messagerie', 'E-Mail Team'],
  domain: ['.ch', '.fr', '.de', '.it', '.be', '.com', '.swiss'],
  drive: ['kDrive Team', 'Cloud-Speicher', 'Archives'],
  cloud_server: ['Cloud Server', 'VPS Lite', 'Jelastic'],
  streaming: ['Radio streaming', 'Video streaming'],
  ticketing: ['Billetterie', 'Ticketing Festival'],
  other: ['Swiss Backup', 'Certificat SSL', 'Public Cloud'],
};
const PRICES: Record<string, number[]> = {
  web_hosting: [1800, 9600, 16800, 30000],
  mail_hosting: [1500, 3600, 7200],
  domain: [990, 1390, 1800, 2500],
  drive: [5000, 19900, 39900],
  cloud_server: [3300, 9900, 24000],
  streaming: [6000, 12000],
  ticketing: [0, 4900],
  other: [1200, 2900, 5900],
};
const TAG_NAMES = [
  'Client VIP',
  'Production',
  'Staging',
  'Marketing',
  'Buchhaltung',
  'À renouveler',
  'Intern',
];

export interface DemoOptions {
  organizations: number;
  seed: number;
  today: string;
  productsPerOrg?: [number, number];
}

export interface DemoSummary {
  organizations: number;
  people: number;
  products: number;
  tags: number;
}

/** Fills a database through the API itself, so demo data obeys every rule real data does. */
export async function generateDemo(router: Router, options: DemoOptions): Promise<DemoSummary> {
  const random = prng(options.seed);
  const summary: DemoSummary = { organizations: 0, people: 0, products: 0, tags: 0 };
  const call = async <T>(method: string, input: unknown): Promise<T> => {
    const result = await router.invoke(method, input);
    if (!result.ok) throw new Error(`${method}: ${result.error.code} ${result.error.message}`);
    return result.value as T;
  };
  const usedNames = new Set<string>();
  for (let i = 0; i < options.organizations; i++) {
    const seed = SEEDS[i % SEEDS.length] as OrgSeed;
    let name = pick(random, seed.names);
    let n = 2;
    while (usedNames.has(name)) name = `${pick(random, seed.names)} ${n++}`;
    usedNames.add(name);
    const individual = random() < 0.15;
    const orgName = individual ? `${pick(random, FIRST)} ${pick(random, LAST)}` : name;
    const org = await call<{ id: string }>('organizations.create', {
      kind: individual ? 'individual' : 'company',
      name: orgName,
      country: seed.country,
      currency: seed.currency,
      vatNumber: individual ? null : seed.vat(random),
      uid: !individual && seed.country === 'CH' ? swissUid(random) : null,
      renewalReminderDays: pick(random, [null, 14, 30, 60]),
    });
    summary.organizations++;
    const [postalCode, city] = pick(random, seed.cities);
    const address = await call<{ id: string }>('addresses.create', {
      organizationId: org.id,
      label: 'Siège',
      recipient: orgName,
      line1: pick(random, seed.streets),
      postalCode,
      city,
      country: seed.country,
      isDefault: true,
    });
    const memberCount = intBetween(random, 1, 4);
    const memberIds: string[] = [];
    for (let m = 0; m < memberCount; m++) {
      const first = pick(random, FIRST);
      const last = pick(random, LAST);
      const email = `${first}.${last}.${i}.${m}`
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/g, '')
        .replace(/[^a-zA-Z0-9.]/g, '')
        .toLowerCase();
      const member = await call<{ personId: string }>('members.add', {
        organizationId: org.id,
        email: `${email}@example.com`,
        name: `${first} ${last}`,
        role:
          m === 0 ? 'legal_representative' : pick(random, ['administrator', 'accountant', 'member'] as const),
        external: m > 0 && random() < 0.2,
      });
      memberIds.push(member.personId);
      summary.people++;
    }
    const tagIds: string[] = [];
    for (const tagName of TAG_NAMES.slice(0, intBetween(random, 2, 5))) {
      const tag = await call<{ id: string }>('tags.create', { organizationId: org.id, name: tagName });
      tagIds.push(tag.id);
      summary.tags++;
    }
    const [minP, maxP] = options.productsPerOrg ?? [3, 12];
    const productIds: string[] = [];
    for (let p = 0; p < intBetween(random, minP, maxP); p++) {
      const kind = pick(random, Object.keys(PRODUCT_NAMES));
      const base = pick(random, PRODUCT_NAMES[kind] as string[]);
      const productName =
        kind === 'domain' ? `${name.split(/[\s&]/)[0]?.toLowerCase() ?? 'site'}${base}` : `${base} ${p + 1}`;
      const product = await call<{ id: string }>('products.create', {
        organizationId: org.id,
        kind,
        name: productName,
        publicPriceMinor: pick(random, PRICES[kind] as number[]),
        billingFrequency: pick(random, ['monthly', 'quarterly', 'annual', 'annual'] as const),
        nextRenewalOn: addDays(options.today, intBetween(random, -20, 360)),
        autoRenew: random() < 0.8,
        status: pick(random, ['active', 'active', 'active', 'active', 'expired', 'cancelled'] as const),
        billingAddressId: address.id,
        tagIds: tagIds.filter(() => random() < 0.3),
      });
      productIds.push(product.id);
      summary.products++;
    }
    if (memberIds.length > 1 && productIds.length > 0) {
      await call('teams.create', {
        organizationId: org.id,
        name: pick(random, ['Webmasters', 'Comptabilité', 'Support', 'Marketing-Team']),
        leaderPersonId: memberIds[0],
        memberIds: memberIds.slice(1),
        productIds: productIds.filter(() => random() < 0.5),
      });
    }
  }
  return summary;
}
