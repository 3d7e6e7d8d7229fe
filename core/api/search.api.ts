import { SearchAll } from '#common/search.schema';
import { searchAll } from '../services/search/search.service';
import { query } from './method';

export const searchApi = {
  'search.all': query(
    SearchAll,
    'Organizations (name, UID/VAT, city), people (name, e-mail), products and invoices (number, customer, amount, reference), grouped by kind',
    searchAll,
  ),
};
