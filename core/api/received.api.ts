import {
  ImportReceived,
  ListReceived,
  MarkReceivedPaid,
  ReceivedExport,
  ReceivedFile,
  ReceivedRef,
} from '#common/received.schema';
import { streamReceived } from '../services/received-export.service';
import {
  getReceived,
  importReceived,
  listReceived,
  markReceivedPaid,
  receivedFile,
} from '../services/received.service';
import { getOrganization } from '../services/organizations.service';
import { MIME } from './exports.api';
import { mutation, query, stream } from './method';

export const receivedApi = {
  'received.import': mutation(
    ImportReceived,
    'Import suppliers’ e-invoices (Factur-X PDF, CII, UBL/Peppol, XRechnung): each file checked against EN 16931 and stored whole, or refused with its rule ids; duplicates recognized',
    importReceived,
  ),
  'received.list': query(ListReceived, 'A keyset page of received documents, newest first', listReceived),
  'received.get': query(
    ReceivedRef,
    'One received document: parties, lines, VAT breakdown, totals, payment',
    (ctx, i) => getReceived(ctx, i.id),
  ),
  'received.markPaid': mutation(
    MarkReceivedPaid,
    'Mark a received document paid on a day (or unpaid again with null)',
    markReceivedPaid,
  ),
  'received.file': stream(
    ReceivedFile,
    'A received document’s file as received (PDF or XML), or its XML',
    (ctx, i) => {
      const file = receivedFile(ctx, i.id, i.part);
      return {
        fileName: file.fileName,
        mime: file.mime,
        write: async (out) => {
          out.end(file.bytes);
        },
      };
    },
  ),
  'received.exportFile': stream(
    ReceivedExport,
    'The filtered received documents as a CSV (profile) or XLSX file',
    (ctx, i) => {
      // Before the first byte: an unknown organization is an error, not an empty file.
      if (i.filters.organizationId) getOrganization(ctx, i.filters.organizationId);
      const stamp = ctx.clock.now().toISOString().slice(0, 10);
      return {
        fileName: `received-${stamp}.${i.format}`,
        mime: MIME[i.format],
        write: (out, signal) => streamReceived(ctx, i, out, { signal }),
      };
    },
  ),
};
