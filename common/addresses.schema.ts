import { z } from 'zod';
import { Country, Id } from './common.schema';
import { Email } from './people.schema';

const Line = z.string().trim().min(1).max(200);
/**
 * The street comes structured (street + building number, what the QR-bill v2.3 needs) or as one
 * printed line, which the service splits when it can (common/street-line.ts). One is required.
 */
const AddressShape = z.object({
  label: Line,
  recipient: Line,
  line1: Line.optional(),
  street: z.string().trim().min(1).max(70).nullish(),
  buildingNumber: z.string().trim().min(1).max(16).nullish(),
  line2: z.string().trim().max(200).nullish(),
  postalCode: z.string().trim().min(1).max(20),
  city: Line,
  country: Country,
  email: Email.nullish(),
});
const hasStreet = (a: { line1?: string | null; street?: string | null }) => Boolean(a.line1 || a.street);
const streetIssue = { message: 'line1 or street is required', path: ['street'] };
export const AddressFields = AddressShape.refine(hasStreet, streetIssue);
export const CreateAddress = AddressShape.extend({
  organizationId: Id,
  isDefault: z.boolean().default(false),
}).refine(hasStreet, streetIssue);
export const UpdateAddress = AddressShape.partial().extend({ id: Id });
/** Addresses whose one-line street could not be split (for the accountant to complete). */
export const ListUnsplitAddresses = z.object({ organizationId: Id.optional() }).default({});
export const ListAddresses = z.object({ organizationId: Id });
export const AddressRef = z.object({ id: Id });
