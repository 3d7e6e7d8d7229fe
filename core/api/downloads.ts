import { z } from 'zod';
import { translateError } from '#common/i18n/errors';
import { resolveLocale } from '#common/i18n/locale';
import { ActingOrganizationId } from '#common/common.schema';
import { CSV_PROFILE_IDS, InvoiceFilters } from '#common/invoices.schema';
import { DOCUMENT_LOCALES } from '#common/enums';
import { scopedFilters, streamInvoices } from '../services/exports.service';
import { ClientExportOptions } from '#common/client-exports.schema';
import { KontorError } from '#common/errors';
import { clientExportFileName, planClientExport, streamClients } from '../services/client-exports.service';
import type { Ctx } from '../services/context';
import type { DownloadHandler } from '../hosts/web/web-host';

// Files a browser saves through the web host, streamed as they are written. (The desktop app
// and the CLI write the same exports to a path with exports.invoices instead.)
const InvoicesDownload = z.object({
  format: z.enum(['csv', 'xlsx']),
  profile: z.enum(CSV_PROFILE_IDS).default('spreadsheet'),
  locale: z.enum(DOCUMENT_LOCALES).default('en'),
  filters: InvoiceFilters.default(InvoiceFilters.parse({})),
  actingOrganizationId: ActingOrganizationId,
});

const MIME = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

export function downloadHandler(getCtx: () => Ctx): DownloadHandler {
  return async (body, localeTag) => {
    const locale = resolveLocale(localeTag);
    if (body.kind === 'clients') return clientsDownload(getCtx, body.input, locale);
    if (body.kind !== 'invoices') {
      return {
        ok: false,
        error: {
          code: 'unknown_method',
          message: translateError('unknown_method', { method: String(body.kind) }, locale),
        },
      };
    }
    const parsed = InvoicesDownload.safeParse(body.input ?? {});
    if (!parsed.success) {
      return {
        ok: false,
        error: { code: 'invalid_input', message: translateError('invalid_input', { issues: [] }, locale) },
      };
    }
    const input = parsed.data;
    try {
      // Before the first byte: an unknown acting organization is an error, not an empty file.
      scopedFilters(getCtx(), input);
    } catch (error) {
      if (!(error instanceof KontorError)) throw error;
      return {
        ok: false,
        error: { code: error.code, message: translateError(error.code, error.params, locale) },
      };
    }
    const stamp = getCtx().clock.now().toISOString().slice(0, 10);
    return {
      ok: true,
      fileName: `invoices-${stamp}.${input.format}`,
      mime:
        input.format === 'csv'
          ? 'text/csv; charset=utf-8'
          : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      write: (out, signal) => streamInvoices(getCtx(), input, out, { signal }),
    };
  };
}

/**
 * A partner's consolidated client export (exports.clients' input without `out`). Checked in
 * full before the response starts, so a client the partner does not manage is a clear error,
 * not a broken download.
 */
function clientsDownload(
  getCtx: () => Ctx,
  body: unknown,
  locale: ReturnType<typeof resolveLocale>,
): Awaited<ReturnType<DownloadHandler>> {
  const parsed = ClientExportOptions.safeParse(body ?? {});
  if (!parsed.success) {
    return {
      ok: false,
      error: { code: 'invalid_input', message: translateError('invalid_input', { issues: [] }, locale) },
    };
  }
  try {
    const plan = planClientExport(getCtx(), parsed.data);
    return {
      ok: true,
      fileName: clientExportFileName(plan),
      mime: MIME[plan.format],
      write: (out, signal) => streamClients(getCtx(), plan, out, { signal }),
    };
  } catch (error) {
    if (!(error instanceof KontorError)) throw error;
    return {
      ok: false,
      error: { code: error.code, message: translateError(error.code, error.params, locale) },
    };
  }
}
