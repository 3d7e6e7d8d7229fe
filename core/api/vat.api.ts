import { CheckTaxId } from '#common/organizations.schema';
import { checkTaxNumber } from '../services/organizations.service';
import { query } from './method';

export const vatApi = {
  'vat.check': query(CheckTaxId, 'Validate an EU VAT number or Swiss UID', checkTaxNumber),
};
