import { SaveFirm } from '#common/firm.schema';
import { Empty } from '#common/system.schema';
import { getFirm, saveFirm } from '../services/firm.service';
import { loadDemo } from '../services/demo.service';
import { mutation, query } from './method';

export const firmApi = {
  'firm.get': query(Empty, 'The firm that issues the invoices, its address and what it still lacks', getFirm),
  'firm.save': mutation(SaveFirm, 'Set up or change the firm (organization, address, bank, defaults)', saveFirm),
  'firm.loadDemo': mutation(Empty, 'Fill an empty database with demo organizations, products and invoices', (ctx) =>
    loadDemo(ctx),
  ),
};
