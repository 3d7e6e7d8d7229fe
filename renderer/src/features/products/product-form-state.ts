import type { BillingFrequency, ProductKind, ProductStatus } from '#common/enums';
import { minorToDecimal } from '#common/money';
import type { ProductRow } from '../../api/types';

/** What the product form edits: the price as typed (parsed on submit), tags as ids. */
export interface ProductFormState {
  kind: ProductKind;
  name: string;
  price: string;
  frequency: BillingFrequency;
  nextRenewalOn: string;
  autoRenew: boolean;
  status: ProductStatus;
  billingAddressId: string;
  tagIds: string[];
}

function inOneYear(): string {
  const d = new Date();
  d.setUTCFullYear(d.getUTCFullYear() + 1);
  return d.toISOString().slice(0, 10);
}

/** The product as the form shows it, or a new one: annual web hosting renewing in a year. */
export function formStateOf(product: ProductRow | null): ProductFormState {
  return product
    ? {
        kind: product.kind,
        name: product.name,
        price: minorToDecimal(product.publicPriceMinor, product.currency),
        frequency: product.billingFrequency,
        nextRenewalOn: product.nextRenewalOn,
        autoRenew: product.autoRenew,
        status: product.status,
        billingAddressId: product.billingAddressId ?? '',
        tagIds: product.tags.map((tag) => tag.id),
      }
    : {
        kind: 'web_hosting',
        name: '',
        price: '',
        frequency: 'annual',
        nextRenewalOn: inOneYear(),
        autoRenew: true,
        status: 'active',
        billingAddressId: '',
        tagIds: [],
      };
}
