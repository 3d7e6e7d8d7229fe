import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { InvoiceKind } from '#common/enums';
import { call } from '../../api/client';
import { errorMessage, invalidateAfter } from '../../api/queries';
import { navigate } from '../../app/router';
import { useToast } from '../../ui/Toast';

/** "New invoice": a draft exists at once (its VAT rates come from the API), then it is edited. */
export function useCreateDraft(orgId: string) {
  const toast = useToast();
  const client = useQueryClient();
  const [creating, setCreating] = useState<InvoiceKind | null>(null);
  const create = async (kind: 'invoice' | 'pro_forma') => {
    setCreating(kind);
    try {
      const draft = await call('invoices.create', { organizationId: orgId, kind });
      invalidateAfter(client, 'invoices.create');
      navigate({ name: 'invoice', orgId, invoiceId: draft.id });
    } catch (e) {
      toast.error(errorMessage(e));
    } finally {
      setCreating(null);
    }
  };
  return { create, creating };
}
