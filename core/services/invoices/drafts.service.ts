// Drafts: created with priced lines (the VAT rule between issuer and payer gives a line's
// default rate), edited and deleted only while still a draft.
import { count, eq } from 'drizzle-orm';
import type { z } from 'zod';
import {
  billingAddresses,
  type Invoice,
  type InvoiceLine,
  invoiceLines,
  invoices,
  type Organization,
  products,
} from '#db/schema/index';
import { todayIso } from '#common/dates';
import { fail } from '#common/errors';
import { invoiceTotals, lineAmounts } from '#common/invoice-math';
import type { BlankInvoice, CreateInvoice, InvoiceLineInput, UpdateDraft } from '#common/invoices.schema';
import { atomically, type Ctx, type WriteTx } from '../context';
import { getOrganization } from '../organizations.service';
import { getSettings } from '../settings.service';
import { getInvoice, type InvoiceDetail, type LineRule, liveInvoice, vatFor } from './detail';
import { decideVatCategory } from '#common/vat-category';
import { documentLocaleFor } from '#common/document-locale';
import type { DocumentLocale } from '#common/enums';
import { defaultAddress } from '../addresses.service';

function resolveIssuer(ctx: Ctx, issuerOrganizationId: string | undefined): Organization {
  const id = issuerOrganizationId ?? getSettings(ctx).providerOrganizationId;
  if (!id) fail('issuer_missing');
  return getOrganization(ctx, id);
}

export function priceLines(lines: readonly InvoiceLineInput[], decision: LineRule) {
  return lines.map((line, position) => {
    const vatRateBp = line.vatRateBp ?? decision.defaultRateBp;
    const category = decideVatCategory(vatRateBp, decision, decision.operation, line);
    if ('problem' in category) {
      fail('vat_category_invalid', {
        line: position + 1,
        category: line.vatCategory ?? '',
        reason: category.problem,
      });
    }
    return {
      position,
      productId: line.productId ?? null,
      description: line.description,
      quantityMilli: line.quantityMilli,
      unitPriceMinor: line.unitPriceMinor,
      discountBp: line.discountBp,
      vatRateBp,
      ...lineAmounts({ ...line, vatRateBp }),
      unitCode: line.unitCode ?? 'C62',
      vatCategory: category.vatCategory,
      exemptionReason: category.exemptionReason,
    };
  });
}

/** Replaces a draft's lines and totals. A draft's lines travel in sync as one LWW value. */
export function writeLines(
  tx: WriteTx,
  ctx: Ctx,
  invoice: Invoice,
  lines: readonly InvoiceLineInput[],
  decision: LineRule,
) {
  const priced = priceLines(lines, decision);
  for (const line of priced) {
    if (line.productId) {
      const product = tx.db
        .select({ organizationId: products.organizationId })
        .from(products)
        .where(eq(products.id, line.productId))
        .get();
      if (!product) fail('product_not_found', { id: line.productId });
      if (product.organizationId !== invoice.productsOrganizationId) fail('product_wrong_organization');
    }
  }
  const where = eq(invoiceLines.invoiceId, invoice.id);
  const previous = tx.db.select({ n: count() }).from(invoiceLines).where(where).get()?.n ?? 0;
  tx.db.delete(invoiceLines).where(eq(invoiceLines.invoiceId, invoice.id)).run();
  if (priced.length > 0) {
    tx.db
      .insert(invoiceLines)
      .values(priced.map((line) => ({ ...line, id: ctx.ids.next(), invoiceId: invoice.id })))
      .run();
  }
  // A draft's lines travel as one last-writer-wins value, with its own activity row.
  const hlc = tx.logChange('invoices', invoice.id, 'lines', priced);
  tx.recordActivity({
    entity: 'invoices',
    entityId: invoice.id,
    organizationId: invoice.organizationId,
    // What it was before, so that the write's rows read as one change (activity.service.ts fold).
    before: { lines: previous },
    after: { lines: priced.length },
    hlc,
  });
  const totals = invoiceTotals(priced);
  return tx.update(invoices, invoice.id, {
    netMinor: totals.netMinor,
    vatMinor: totals.vatMinor,
    grossMinor: totals.grossMinor,
  });
}

export function createInvoice(ctx: Ctx, input: z.infer<typeof CreateInvoice>): InvoiceDetail {
  const created = ctx.write('invoice.created', (tx) => {
    const payer = getOrganization(ctx, input.organizationId);
    const productsOrg = getOrganization(ctx, input.productsOrganizationId ?? payer.id);
    const issuer = resolveIssuer(ctx, input.issuerOrganizationId);
    if (input.billingAddressId) assertAddressOf(tx, payer.id, input.billingAddressId);
    const invoice = tx.insert(invoices, {
      kind: input.kind,
      status: 'draft',
      organizationId: payer.id,
      productsOrganizationId: productsOrg.id,
      issuerOrganizationId: issuer.id,
      billingAddressId: input.billingAddressId ?? null,
      currency: payer.currency,
      locale:
        input.locale ??
        defaultLocale(
          payer,
          (input.billingAddressId
            ? tx.db.select().from(billingAddresses).where(eq(billingAddresses.id, input.billingAddressId)).get()
            : defaultAddress(tx.db, payer.id)
          )?.postalCode,
          issuer,
        ),
      issuedOn: input.issuedOn ?? todayIso(ctx.clock.now()),
      notes: input.notes ?? null,
    });
    return writeLines(tx, ctx, invoice, input.lines, vatFor(issuer, payer));
  });
  return getInvoice(ctx, created.id);
}

/** Carries a new draft out of the transaction that is rolled back (blankInvoice). */
class Blank extends Error {
  constructor(readonly detail: InvoiceDetail) {
    super('blank draft');
  }
}

/**
 * What "New invoice" opens: the draft as createInvoice would make it (currency, VAT rates,
 * address, language), made inside a transaction that is rolled back, so nothing is stored
 * until the first edit creates it. Its id is empty: it does not exist.
 */
export function blankInvoice(ctx: Ctx, input: z.infer<typeof BlankInvoice>): InvoiceDetail {
  try {
    atomically(ctx, () => {
      throw new Blank(createInvoice(ctx, { ...input, lines: [] }));
    });
  } catch (error) {
    if (error instanceof Blank) return { ...error.detail, id: '' };
    throw error;
  }
  throw new Error('blankInvoice: the draft was not rolled back');
}

function assertAddressOf(tx: WriteTx, organizationId: string, addressId: string): void {
  const address = tx.db.select().from(billingAddresses).where(eq(billingAddresses.id, addressId)).get();
  if (!address || address.deletedAt) fail('address_not_found', { id: addressId });
  if (address.organizationId !== organizationId) fail('address_wrong_organization');
}

/** A new document's language: the payer's choice, else its region's, else the issuer's default. */
export function defaultLocale(
  payer: Pick<Organization, 'country' | 'documentLocale'>,
  postalCode: string | null | undefined,
  issuer: Pick<Organization, 'documentLocale'>,
): DocumentLocale {
  return documentLocaleFor(payer, postalCode, issuer.documentLocale);
}

export function draftOf(ctx: Ctx, id: string): Invoice {
  const invoice = liveInvoice(ctx, id);
  if (invoice.status !== 'draft') fail('invoice_not_draft', { number: invoice.number ?? '' });
  return invoice;
}

export function updateDraft(ctx: Ctx, input: z.infer<typeof UpdateDraft>): InvoiceDetail {
  ctx.write('invoice.updated', (tx) => {
    const invoice = draftOf(ctx, input.id);
    if (input.billingAddressId) assertAddressOf(tx, invoice.organizationId, input.billingAddressId);
    const updated = tx.update(invoices, invoice.id, {
      billingAddressId: input.billingAddressId,
      locale: input.locale,
      issuedOn: input.issuedOn,
      notes: input.notes,
    });
    if (input.lines) {
      const payer = getOrganization(ctx, invoice.organizationId);
      const issuer = getOrganization(ctx, invoice.issuerOrganizationId);
      writeLines(tx, ctx, updated, input.lines, vatFor(issuer, payer));
    }
  });
  return getInvoice(ctx, input.id);
}

export function deleteDraft(ctx: Ctx, id: string): { id: string } {
  ctx.write('invoice.deleted', (tx) => {
    draftOf(ctx, id);
    tx.remove(invoices, id);
  });
  return { id };
}

/** An issued document's lines as input for a new one (a converted pro forma, a full credit note). */
export function lineInputsOf(lines: readonly InvoiceLine[]): InvoiceLineInput[] {
  return lines.map((l) => ({
    productId: l.productId,
    description: l.description,
    quantityMilli: l.quantityMilli,
    unitPriceMinor: l.unitPriceMinor,
    discountBp: l.discountBp,
    vatRateBp: l.vatRateBp,
    unitCode: l.unitCode,
    vatCategory: l.vatCategory,
    exemptionReason: l.exemptionReason,
  }));
}
