import { ExportClients } from '#common/client-exports.schema';
import { exportClients } from '../services/client-exports.service';
import { query } from './method';

// A query like exports.invoices: it writes a file, never a stored row, so there is no change
// to record or to announce to open screens.
export const clientExportsApi = {
  'exports.clients': query(
    ExportClients,
    'Write a partner’s managed clients’ billing history (invoices, payments, cashback) for a period as CSV (one type) or XLSX (a sheet per type)',
    (ctx, i) => exportClients(ctx, i),
  ),
};
