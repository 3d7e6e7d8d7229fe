import {
  AddressRef,
  CreateAddress,
  ListAddresses,
  ListUnsplitAddresses,
  UpdateAddress,
} from '#common/addresses.schema';
import {
  createAddress,
  listAddresses,
  removeAddress,
  setDefaultAddress,
  unsplitAddresses,
  updateAddress,
} from '../services/addresses.service';
import { mutation, query } from './method';

export const addressesApi = {
  'addresses.list': query(ListAddresses, "An organization's billing addresses, default first", (ctx, i) =>
    listAddresses(ctx, i.organizationId),
  ),
  'addresses.create': mutation(
    CreateAddress,
    'Add a billing address (the first one is the default)',
    createAddress,
  ),
  'addresses.update': mutation(UpdateAddress, 'Change a billing address', updateAddress),
  'addresses.setDefault': mutation(AddressRef, 'Make an address the default', (ctx, i) =>
    setDefaultAddress(ctx, i.id),
  ),
  'addresses.unsplit': query(
    ListUnsplitAddresses,
    'Addresses whose one-line street could not be split into street and building number (QR-bill v2.3)',
    (ctx, i) => unsplitAddresses(ctx, i.organizationId),
  ),
  'addresses.delete': mutation(AddressRef, 'Delete a billing address', (ctx, i) => removeAddress(ctx, i.id)),
};
