import { RecordPayment } from '#common/invoices.schema';
import { recordPayment } from '../services/ledger.service';
import { mutation } from './method';

export const paymentsApi = {
  'payments.record': mutation(
    RecordPayment,
    'Record a payment; a mismatch is deposited to the prepaid account',
    recordPayment,
  ),
};
