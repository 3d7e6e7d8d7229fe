// A book that exercises every kind of e-invoice: CH, FR, DE, BE, IT and US customers; CHF and
// EUR; standard, reduced and zero rates; reverse charge, intra-EU supply of goods, export;
// discounts; full and partial credit notes; 1 line and 200 lines; names with é ü ß ç Œ Ł ș and
// an emoji. Built through the router, like a user would.
import type { TestKontor } from './kontor';
import type { LineInput } from './invoices';

export interface EinvoiceBook {
  /** Issued invoices and credit notes (ids). */
  documents: string[];
  proFormaId: string;
  /** Billing addresses of every organization, for the QR-bill checks. */
  organizations: string[];
}

async function org(
  k: TestKontor,
  input: Parameters<TestKontor['ok']>[1] & Record<string, unknown>,
  address: { street: string; buildingNumber?: string; postalCode: string; city: string; email?: string },
): Promise<string> {
  const created = (await k.ok('organizations.create', input as never)) as {
    id: string;
    name: string;
    country: string;
  };
  await k.ok('addresses.create', {
    organizationId: created.id,
    label: 'Main',
    recipient: created.name,
    street: address.street,
    buildingNumber: address.buildingNumber ?? null,
    postalCode: address.postalCode,
    city: address.city,
    country: created.country,
    email: address.email ?? null,
  });
  return created.id;
}

const l = (description: string, unitPriceMinor: number, extra: Partial<LineInput> = {}): LineInput => ({
  description,
  quantityMilli: 1000,
  unitPriceMinor,
  discountBp: 0,
  ...extra,
});

export async function buildEinvoiceBook(k: TestKontor): Promise<EinvoiceBook> {
  const chIssuer = await org(
    k,
    {
      kind: 'company',
      name: 'Hébergement Zürich Straße SA',
      country: 'CH',
      currency: 'CHF',
      uid: 'CHE-116.281.710',
      iban: 'CH93 0076 2011 6238 5295 7',
      bic: 'POFICHBEXXX',
    },
    {
      street: 'Rue Eugène-Marziano',
      buildingNumber: '25',
      postalCode: '1227',
      city: 'Les Acacias',
      email: 'billing@example.ch',
    },
  );
  const frIssuer = await org(
    k,
    {
      kind: 'company',
      name: 'Œuvres Numériques Français SAS',
      country: 'FR',
      currency: 'EUR',
      vatNumber: 'FR40303265045',
      siren: '303265045',
      iban: 'FR76 3000 6000 0112 3456 7890 189',
      bic: 'AGRIFRPP',
      vatOnDebits: true,
    },
    {
      street: 'rue de la Paix',
      buildingNumber: '12',
      postalCode: '75002',
      city: 'Paris',
      email: 'factures@example.fr',
    },
  );
  const goodsIssuer = await org(
    k,
    {
      kind: 'company',
      name: 'Matériel Łukasz Ștefan SARL',
      country: 'FR',
      currency: 'EUR',
      vatNumber: 'FR40303265045',
      siren: '303265045',
      iban: 'FR76 3000 6000 0112 3456 7890 189',
      operationCategory: 'goods',
    },
    { street: 'avenue Jean Jaurès', buildingNumber: '8', postalCode: '69007', city: 'Lyon' },
  );
  const chCompany = await org(
    k,
    {
      kind: 'company',
      name: 'Bäckerei Müller & Söhne AG',
      country: 'CH',
      currency: 'CHF',
      uid: 'CHE-116.281.710',
    },
    { street: 'Bahnhofstrasse', buildingNumber: '12', postalCode: '8001', city: 'Zürich' },
  );
  const chPerson = await org(
    k,
    { kind: 'individual', name: 'François Façon', country: 'CH', currency: 'CHF' },
    { street: 'Chemin des Vignes', postalCode: '1003', city: 'Lausanne' },
  );
  const frCompany = await org(
    k,
    {
      kind: 'company',
      name: 'Cœur de Ville Çà et Là SAS',
      country: 'FR',
      currency: 'EUR',
      vatNumber: 'FR40303265045',
      siret: '30326504500029',
    },
    {
      street: 'boulevard Haussmann',
      buildingNumber: '40',
      postalCode: '75009',
      city: 'Paris',
      email: 'compta@example.fr',
    },
  );
  const deCompany = await org(
    k,
    {
      kind: 'company',
      name: 'Straßenbau Größe GmbH',
      country: 'DE',
      currency: 'EUR',
      vatNumber: 'DE136695976',
      leitwegId: '04011000-1234512345-06',
    },
    { street: 'Hauptstraße', buildingNumber: '5a', postalCode: '10115', city: 'Berlin' },
  );
  const dePerson = await org(
    k,
    { kind: 'individual', name: 'Jürgen Weiß', country: 'DE', currency: 'EUR' },
    { street: 'Kirchgasse', buildingNumber: '3', postalCode: '80331', city: 'München' },
  );
  const beCompany = await org(
    k,
    {
      kind: 'company',
      name: 'Brasserie Ștefan & Œil SRL',
      country: 'BE',
      currency: 'EUR',
      vatNumber: 'BE0403170701',
      peppolId: '0208:0403170701',
    },
    { street: 'Avenue Louise', buildingNumber: '54', postalCode: '1050', city: 'Bruxelles' },
  );
  const itCompany = await org(
    k,
    { kind: 'company', name: 'Caffè Città Srl', country: 'IT', currency: 'EUR', vatNumber: 'IT00743110157' },
    { street: 'Via Roma', buildingNumber: '3', postalCode: '20121', city: 'Milano' },
  );
  const usCompany = await org(
    k,
    { kind: 'company', name: 'Acme Export Inc.', country: 'US', currency: 'EUR' },
    { street: 'Broadway', buildingNumber: '1', postalCode: '10001', city: 'New York' },
  );

  const documents: string[] = [];
  const issue = async (
    issuerOrganizationId: string,
    organizationId: string,
    lines: LineInput[],
    notes?: string,
  ) => {
    const draft = await k.ok('invoices.create', {
      organizationId,
      issuerOrganizationId,
      lines,
      notes: notes ?? null,
    });
    const issued = await k.ok('invoices.issue', { id: draft.id });
    documents.push(issued.id);
    return issued;
  };

  // Swiss issuer: Swiss VAT (standard, reduced, lodging, zero), one line, discounts, an emoji.
  const chMixed = await issue(
    chIssuer,
    chCompany,
    [
      l('Hébergement web 🚀', 1990, { quantityMilli: 12_000, unitCode: 'MON' }),
      l('Livres numériques', 4500, { vatRateBp: 260 }),
      l('Nuitée séminaire', 18_000, { vatRateBp: 380, discountBp: 1250 }),
      l('Débours', 2500, { vatRateBp: 0 }),
    ],
    'Merci — Danke — Grazie 🙏',
  );
  await issue(chIssuer, chPerson, [l('Nom de domaine', 1500, { unitCode: 'ANN' })]);
  await issue(chIssuer, frCompany, [l('Serveur cloud', 9900, { quantityMilli: 3000, unitCode: 'MON' })]);
  await issue(chIssuer, usCompany, [l('Streaming', 25_000, { discountBp: 1000 })]);
  // French issuer: domestic 20 % and zero, reverse charge to DE/BE/IT, consumer in DE, export.
  const frDomestic = await issue(frIssuer, frCompany, [
    l('Hébergement mail', 1200, { quantityMilli: 25_000, unitCode: 'MON', discountBp: 500 }),
    l('Formation (exonérée)', 50_000, {
      vatRateBp: 0,
      vatCategory: 'E',
      exemptionReason: 'Article 261-4-4° du CGI',
    }),
    l('Frais de port', 990, { vatRateBp: 0 }),
  ]);
  await issue(frIssuer, deCompany, [l('Cloud-Server', 4990, { quantityMilli: 1500, unitCode: 'MON' })]);
  await issue(frIssuer, beCompany, [l('kDrive', 1000, { unitCode: 'ANN' })]);
  await issue(frIssuer, itCompany, [l('Ticketing', 7777, { discountBp: 333 })]);
  await issue(frIssuer, dePerson, [l('Webhosting', 999)]);
  await issue(frIssuer, usCompany, [l('Support', 12_345)]);
  // Intra-EU supply of goods (K).
  await issue(goodsIssuer, deCompany, [l('Serveur rack', 250_000, { quantityMilli: 2000 })]);
  // 200 lines.
  const many = Array.from({ length: 200 }, (_, i) =>
    l(`Ligne ${i + 1} — produit ${i % 7 === 0 ? 'ß' : 'é'}`, 100 + ((i * 37) % 5000), {
      quantityMilli: 1000 + (i % 4) * 250,
      discountBp: i % 5 === 0 ? 750 : 0,
    }),
  );
  await issue(frIssuer, frCompany, many);
  // Credit notes: a partial one and a full one.
  const partial = await k.ok('invoices.creditNote', {
    invoiceId: frDomestic.id,
    lines: [l('Avoir partiel hébergement', 6000)],
  });
  documents.push(partial.id);
  const full = await k.ok('invoices.creditNote', { invoiceId: chMixed.id });
  documents.push(full.id);
  const proForma = await k.ok('invoices.create', {
    kind: 'pro_forma',
    organizationId: chCompany,
    issuerOrganizationId: chIssuer,
    lines: [l('Devis', 1000)],
  });
  const issuedProForma = await k.ok('invoices.issue', { id: proForma.id });
  return {
    documents,
    proFormaId: issuedProForma.id,
    organizations: [
      chIssuer,
      frIssuer,
      goodsIssuer,
      chCompany,
      chPerson,
      frCompany,
      deCompany,
      dePerson,
      beCompany,
      itCompany,
      usCompany,
    ],
  };
}
