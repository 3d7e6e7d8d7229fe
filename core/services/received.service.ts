// Received documents: the suppliers' e-invoices (Factur-X PDFs, CII and UBL files) an
// organization imports. Each file is read, checked against EN 16931 and matched to the
// organization that bought (core/import/einvoice), then stored whole or not at all; a file
// already imported (same seller, type and number for that organization) is recognized and
// left alone. Device-local (db/schema/received.ts says why): no change log, an activity row.
import { createHash } from 'node:crypto';
import { and, desc, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import { organizations, type ReceivedDocument, receivedDocuments } from '#db/schema/index';
import type { Organization } from '#db/schema/index';
import { fail, KontorError } from '#common/errors';
import { translateError } from '#common/i18n/errors';
import { resolveLocale } from '#common/i18n/locale';
import type {
  ImportReceived,
  ListReceived,
  MarkReceivedPaid,
  ReceivedFilters,
} from '#common/received.schema';
import { type ReadDocument, readReceived } from '../import/einvoice/read';
import {
  CREDIT_NOTE_TYPES,
  type ReceivedInvoice,
  type ReceivedParty,
} from '../import/einvoice/received-model';
import type { Ctx } from './context';
import { getOrganization } from './organizations.service';

export interface ReceivedOutcome {
  file: string;
  status: 'imported' | 'duplicate' | 'refused';
  id: string | null;
  number: string | null;
  /** The refusal or the duplicate, in the caller's language. */
  message: string | null;
  code: string | null;
}

export type ReceivedSummary = Omit<ReceivedDocument, 'model' | 'file' | 'xml'> & {
  organizationName: string | null;
};
export type ReceivedDetail = ReceivedSummary & { model: ReceivedInvoice };

/** Identifiers compared without spaces, dots, dashes or case; a Swiss VAT id without MWST/TVA/IVA. */
export function compactId(value: string | null | undefined): string {
  return (value ?? '')
    .replace(/[^A-Za-z0-9]/g, '')
    .toUpperCase()
    .replace(/(MWST|TVA|IVA)$/, '');
}

/** What makes a supplier's number unique: its VAT id, else its legal id, else its name. */
export function sellerKeyOf(seller: ReceivedParty): string {
  return compactId(seller.vatId) || compactId(seller.legalId?.value) || seller.name.trim().toUpperCase();
}

/** Does `org` carry one of the buyer's identifiers (VAT number, Swiss UID, SIREN, Peppol id)? */
function isBuyer(org: Organization, buyer: ReceivedParty): boolean {
  const vat = compactId(buyer.vatId);
  const legal = compactId(buyer.legalId?.value);
  const endpoint = buyer.endpoint ? `${buyer.endpoint.scheme}:${buyer.endpoint.value}`.toUpperCase() : '';
  return (
    (vat !== '' && (compactId(org.vatNumber) === vat || compactId(org.uid) === vat)) ||
    (legal !== '' && (compactId(org.siren) === legal || compactId(org.uid) === legal)) ||
    (endpoint !== '' && (org.peppolId ?? '').toUpperCase() === endpoint)
  );
}

function receivingOrganization(
  ctx: Ctx,
  doc: ReadDocument,
  file: string,
  chosen: string | undefined,
): Organization {
  const buyer = doc.invoice.buyer;
  if (chosen) {
    const org = getOrganization(ctx, chosen);
    // A document addressed to another VAT number is someone else's purchase.
    const own = compactId(org.vatNumber) || compactId(org.uid);
    if (buyer.vatId && own && compactId(buyer.vatId) !== own)
      fail('received_buyer_mismatch', {
        file,
        buyer: buyer.name,
        vatId: buyer.vatId,
        organization: org.name,
      });
    return org;
  }
  const matches = ctx.db
    .select()
    .from(organizations)
    .where(isNull(organizations.deletedAt))
    .all()
    .filter((o) => isBuyer(o, buyer));
  const [only] = matches;
  if (matches.length !== 1 || !only) return fail('received_no_organization', { file, buyer: buyer.name });
  return only;
}

async function importOne(
  ctx: Ctx,
  upload: { name: string; contentBase64: string },
  organizationId: string | undefined,
): Promise<Omit<ReceivedOutcome, 'message'> & { params?: Record<string, string> }> {
  const bytes = Buffer.from(upload.contentBase64, 'base64');
  const doc = await readReceived(bytes, upload.name);
  const inv = doc.invoice;
  const org = receivingOrganization(ctx, doc, upload.name, organizationId);
  const sellerKey = sellerKeyOf(inv.seller);
  const existing = ctx.db
    .select({ importedAt: receivedDocuments.importedAt })
    .from(receivedDocuments)
    .where(
      and(
        eq(receivedDocuments.organizationId, org.id),
        eq(receivedDocuments.sellerKey, sellerKey),
        eq(receivedDocuments.typeCode, inv.typeCode),
        eq(receivedDocuments.number, inv.number),
      ),
    )
    .get();
  if (existing)
    return {
      file: upload.name,
      status: 'duplicate',
      id: null,
      number: inv.number,
      code: 'received_duplicate',
      params: {
        file: upload.name,
        number: inv.number,
        seller: inv.seller.name,
        importedAt: existing.importedAt.slice(0, 10),
      },
    };
  const id = ctx.ids.next();
  ctx.write('received.import', (tx) => {
    tx.db
      .insert(receivedDocuments)
      .values({
        id,
        organizationId: org.id,
        format: doc.format,
        typeCode: inv.typeCode,
        creditNote: CREDIT_NOTE_TYPES.has(inv.typeCode),
        number: inv.number,
        issuedOn: inv.issueDate,
        dueOn: inv.dueDate,
        currency: inv.currency,
        sellerName: inv.seller.name,
        sellerKey,
        sellerVatId: inv.seller.vatId,
        netMinor: inv.totals.lineNetMinor - (inv.totals.allowanceMinor ?? 0) + (inv.totals.chargeMinor ?? 0),
        vatMinor: inv.totals.taxMinor,
        grossMinor: inv.totals.grossMinor,
        payableMinor: inv.totals.payableMinor,
        paymentReference: inv.payment?.remittance ?? null,
        iban: inv.payment?.iban ?? null,
        model: inv,
        fileName: upload.name,
        file: bytes,
        xml: doc.xml,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        importedAt: tx.now.toISOString(),
        paidOn: null,
      })
      .run();
    tx.recordActivity({
      entity: 'received_document',
      entityId: id,
      organizationId: org.id,
      after: { number: inv.number, seller: inv.seller.name, grossMinor: inv.totals.grossMinor },
    });
  });
  return { file: upload.name, status: 'imported', id, number: inv.number, code: null };
}

/** Imports every file on its own: one refused or already there never stops the others. */
export async function importReceived(
  ctx: Ctx,
  input: ImportReceived,
): Promise<{ results: ReceivedOutcome[] }> {
  const locale = resolveLocale(input.locale);
  const results: ReceivedOutcome[] = [];
  for (const upload of input.uploads) {
    try {
      const { params, ...outcome } = await importOne(ctx, upload, input.organizationId);
      results.push({
        ...outcome,
        message: outcome.code ? translateError(outcome.code, params ?? {}, locale) : null,
      });
    } catch (e) {
      // A store failure (disk full) or a bad organization id stops the import as any call would.
      if (!(e instanceof KontorError) || e.code === 'organization_not_found' || e.code === 'disk_full')
        throw e;
      results.push({
        file: upload.name,
        status: 'refused',
        id: null,
        number: null,
        code: e.code,
        message: translateError(e.code, e.params, locale),
      });
    }
  }
  return { results };
}

const summaryColumns = {
  id: receivedDocuments.id,
  organizationId: receivedDocuments.organizationId,
  organizationName: organizations.name,
  format: receivedDocuments.format,
  typeCode: receivedDocuments.typeCode,
  creditNote: receivedDocuments.creditNote,
  number: receivedDocuments.number,
  issuedOn: receivedDocuments.issuedOn,
  dueOn: receivedDocuments.dueOn,
  currency: receivedDocuments.currency,
  sellerName: receivedDocuments.sellerName,
  sellerKey: receivedDocuments.sellerKey,
  sellerVatId: receivedDocuments.sellerVatId,
  netMinor: receivedDocuments.netMinor,
  vatMinor: receivedDocuments.vatMinor,
  grossMinor: receivedDocuments.grossMinor,
  payableMinor: receivedDocuments.payableMinor,
  paymentReference: receivedDocuments.paymentReference,
  iban: receivedDocuments.iban,
  fileName: receivedDocuments.fileName,
  sha256: receivedDocuments.sha256,
  importedAt: receivedDocuments.importedAt,
  paidOn: receivedDocuments.paidOn,
};

export function receivedWhere(f: ReceivedFilters): SQL[] {
  const where: SQL[] = [];
  if (f.organizationId) where.push(eq(receivedDocuments.organizationId, f.organizationId));
  if (f.status === 'open') where.push(isNull(receivedDocuments.paidOn));
  if (f.status === 'paid') where.push(sql`${receivedDocuments.paidOn} is not null`);
  if (f.from) where.push(sql`${receivedDocuments.issuedOn} >= ${f.from}`);
  if (f.to) where.push(sql`${receivedDocuments.issuedOn} <= ${f.to}`);
  if (f.search) {
    const pattern = `%${f.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(
      sql`(${receivedDocuments.number} like ${pattern} escape '\\' or ${receivedDocuments.sellerName} like ${pattern} escape '\\')`,
    );
  }
  return where;
}

/** A page of received documents, newest first. */
export function listReceived(
  ctx: Ctx,
  input: z.infer<typeof ListReceived>,
): { rows: ReceivedSummary[]; more: boolean } {
  const where = receivedWhere(input);
  if (input.after)
    where.push(
      sql`(${receivedDocuments.issuedOn}, ${receivedDocuments.id}) < (${input.after.issuedOn}, ${input.after.id})`,
    );
  const rows = ctx.db
    .select(summaryColumns)
    .from(receivedDocuments)
    .leftJoin(organizations, eq(organizations.id, receivedDocuments.organizationId))
    .where(and(...where))
    .orderBy(desc(receivedDocuments.issuedOn), desc(receivedDocuments.id))
    .limit(input.limit + 1)
    .all();
  return { rows: rows.slice(0, input.limit), more: rows.length > input.limit };
}

export function getReceived(ctx: Ctx, id: string): ReceivedDetail {
  const row = ctx.db
    .select({ ...summaryColumns, model: receivedDocuments.model })
    .from(receivedDocuments)
    .leftJoin(organizations, eq(organizations.id, receivedDocuments.organizationId))
    .where(eq(receivedDocuments.id, id))
    .get();
  if (!row) return fail('received_not_found', { id });
  return { ...row, model: row.model as ReceivedInvoice };
}

export function markReceivedPaid(ctx: Ctx, input: z.infer<typeof MarkReceivedPaid>): ReceivedDetail {
  const before = getReceived(ctx, input.id);
  ctx.write('received.markPaid', (tx) => {
    tx.db
      .update(receivedDocuments)
      .set({ paidOn: input.paidOn })
      .where(eq(receivedDocuments.id, input.id))
      .run();
    tx.recordActivity({
      entity: 'received_document',
      entityId: input.id,
      organizationId: before.organizationId,
      before: { paidOn: before.paidOn },
      after: { paidOn: input.paidOn },
    });
  });
  return getReceived(ctx, input.id);
}

/** The file as received, or its XML alone. */
export function receivedFile(
  ctx: Ctx,
  id: string,
  part: 'original' | 'xml',
): { fileName: string; mime: string; bytes: Buffer } {
  const row = ctx.db
    .select({
      fileName: receivedDocuments.fileName,
      file: receivedDocuments.file,
      xml: receivedDocuments.xml,
    })
    .from(receivedDocuments)
    .where(eq(receivedDocuments.id, id))
    .get();
  if (!row) return fail('received_not_found', { id });
  const pdf = row.file.subarray(0, 4).toString('latin1') === '%PDF';
  if (part === 'xml' || !pdf) {
    const base = row.fileName.replace(/\.(pdf|xml)$/i, '').replace(/[^A-Za-z0-9._-]/g, '_');
    return { fileName: `${base}.xml`, mime: 'application/xml', bytes: Buffer.from(row.xml, 'utf8') };
  }
  return {
    fileName: row.fileName.replace(/[^A-Za-z0-9._-]/g, '_'),
    mime: 'application/pdf',
    bytes: row.file,
  };
}
