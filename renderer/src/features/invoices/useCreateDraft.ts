import type { InvoiceKind } from '#common/enums';
import { navigate } from '../../app/router';

/**
 * "New invoice": opens the editor of a draft that is not stored yet; its first edit creates it
 * (useDraftKeeping), so a new invoice left untouched leaves no empty draft behind.
 */
export function useCreateDraft(orgId: string) {
  const creating: InvoiceKind | null = null;
  const create = async (kind: 'invoice' | 'pro_forma') => {
    navigate({ name: 'newInvoice', orgId, kind });
  };
  return { create, creating };
}
