import { z } from 'zod';
import { Country, Id } from './common.schema';
import { Email } from './people.schema';

const Line = z.string().trim().min(1).max(200);
export const AddressFields = z.object({
  label: Line,
  recipient: Line,
  line1: Line,
  line2: z.string().trim().max(200).nullish(),
  postalCode: z.string().trim().min(1).max(20),
  city: Line,
  country: Country,
  email: Email.nullish(),
});
export const CreateAddress = AddressFields.extend({
  organizationId: Id,
  isDefault: z.boolean().default(false),
});
export const UpdateAddress = AddressFields.partial().extend({ id: Id });
export const ListAddresses = z.object({ organizationId: Id });
export const AddressRef = z.object({ id: Id });
