import { ListLedger, OrganizationView, PayFromBalance, TopUp, Withdraw } from '#common/invoices.schema';
import { balances, listLedger, payFromBalance, topUp, withdraw } from '../services/ledger.service';
import { mutation, query } from './method';

export const ledgerApi = {
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
