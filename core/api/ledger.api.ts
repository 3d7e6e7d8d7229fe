import {
  ListLedger,
  OrganizationView,
  PayFromBalance,
  RecordPayment,
  TopUp,
  Withdraw,
} from '#common/invoices.schema';
import {
  balances,
  listLedger,
  payFromBalance,
  recordPayment,
  topUp,
  withdraw,
} from '../services/ledger.service';
import { mutation, query } from './method';

export const ledgerApi = {
  'payments.record': mutation(
    RecordPayment,
    'Record a payment; a mismatch is deposited to the prepaid account',
    recordPayment,
  ),
  'ledger.list': query(ListLedger, 'Prepaid-account entries with running balance', listLedger),
  'ledger.balances': query(OrganizationView, 'Prepaid balance per currency', (ctx, i) =>
    balances(ctx, i.organizationId, i.actingOrganizationId),
  ),
  'ledger.topUp': mutation(TopUp, 'Credit the prepaid account', topUp),
  'ledger.withdraw': mutation(Withdraw, 'Withdraw to bank or PayPal (never below zero)', withdraw),
  'ledger.payInvoices': mutation(
    PayFromBalance,
    'Pay one or several invoices from the balance, fully or partly',
    payFromBalance,
  ),
};
