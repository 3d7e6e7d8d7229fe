import { eq } from 'drizzle-orm';
import type { Db } from '#db/open';
import {
  billingAddresses,
  degressiveTiers,
  invoices,
  memberships,
  organizations,
  partnerNotices,
  partnerRates,
  partnershipProducts,
  partnerships,
  people,
  priceBook,
  products,
  productTags,
  tags,
  workTeamMembers,
  workTeamProducts,
  workTeams,
} from '#db/schema/index';

// The master-data tables whose every write goes through the one write path (activity +
// change log). Each knows how to find the organization and product a row belongs to, so
// activity can be filtered by them and, later, the hub can scope them.
export const trackedTables = {
  organizations,
  people,
  memberships,
  billing_addresses: billingAddresses,
  products,
  tags,
  product_tags: productTags,
  work_teams: workTeams,
  work_team_members: workTeamMembers,
  work_team_products: workTeamProducts,
  invoices,
  partnerships,
  partnership_products: partnershipProducts,
  partner_notices: partnerNotices,
  partner_rates: partnerRates,
  degressive_tiers: degressiveTiers,
  price_book: priceBook,
} as const;

export type TrackedTableName = keyof typeof trackedTables;
export type TrackedTable = (typeof trackedTables)[TrackedTableName];

export interface RowScope {
  organizationId: string | null;
  productId: string | null;
}

type AnyRow = Record<string, unknown>;

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

export function scopeOf(db: Db, name: TrackedTableName, row: AnyRow): RowScope {
  switch (name) {
    case 'organizations':
      return { organizationId: str(row.id), productId: null };
    case 'people':
      return { organizationId: null, productId: null };
    case 'products':
      return { organizationId: str(row.organizationId), productId: str(row.id) };
    // A partnership belongs to the client: its products live there (DOMAIN.md).
    case 'partnerships':
      return { organizationId: str(row.clientOrganizationId), productId: null };
    case 'partnership_products':
    case 'product_tags': {
      const productId = str(row.productId);
      const product = productId
        ? db
            .select({ organizationId: products.organizationId })
            .from(products)
            .where(eq(products.id, productId))
            .get()
        : undefined;
      return { organizationId: product?.organizationId ?? null, productId };
    }
    case 'work_team_members':
    case 'work_team_products': {
      const teamId = str(row.teamId);
      const team = teamId
        ? db
            .select({ organizationId: workTeams.organizationId })
            .from(workTeams)
            .where(eq(workTeams.id, teamId))
            .get()
        : undefined;
      return { organizationId: team?.organizationId ?? null, productId: str(row.productId) };
    }
    default:
      return { organizationId: str(row.organizationId), productId: null };
  }
}
