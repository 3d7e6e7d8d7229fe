// What the hub knows about each synced table: how a row's scope keys are derived from its
// fields (SYNC.md "Who sees what"), and which rules apply to it.

export const MONEY_TABLES = ['payments', 'ledger_entries'] as const;
/** Records only the hub writes (a consumed number that lost an issue race): devices read them. */
export const HUB_ONLY_TABLES = ['invoice_voids'] as const;
export const GLOBAL_TABLES = ['degressive_tiers', 'price_book'] as const;
export const MASTER_TABLES = [
  'organizations',
  'people',
  'memberships',
  'billing_addresses',
  'products',
  'tags',
  'product_tags',
  'work_teams',
  'work_team_members',
  'work_team_products',
  'invoices',
  'partnerships',
  'partnership_products',
  'partner_notices',
  'partner_rates',
  ...GLOBAL_TABLES,
] as const;

export const SYNCED_TABLES: ReadonlySet<string> = new Set<string>([
  ...MASTER_TABLES,
  ...MONEY_TABLES,
  ...HUB_ONLY_TABLES,
]);
export const isHubOnlyTable = (t: string) => (HUB_ONLY_TABLES as readonly string[]).includes(t);
export const isMoneyTable = (t: string) => (MONEY_TABLES as readonly string[]).includes(t);
export const isGlobalTable = (t: string) => (GLOBAL_TABLES as readonly string[]).includes(t);

/** Tables whose rows change who sees what: a change to one recomputes the writer's scope. */
export const SCOPE_TABLES: ReadonlySet<string> = new Set([
  'organizations',
  'memberships',
  'partnerships',
  'partnership_products',
  'product_tags',
]);

/** The scope keys of a row, stored in hub_rows. */
export interface RowKeys {
  orgId: string | null;
  org2Id: string | null;
  productId: string | null;
  refId: string | null;
  status: string | null;
  access: string | null;
  live: boolean;
}

/** Current field values of a row, decoded from their JSON text. */
export type Fields = Record<string, unknown>;

/** Keys of a parent row another row's scope depends on. */
export type ParentLookup = (table: string, rowId: string) => Promise<RowKeys | null>;

const s = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

export async function rowKeysOf(
  table: string,
  rowId: string,
  f: Fields,
  parent: ParentLookup,
): Promise<RowKeys> {
  const live = f.deleted_at === undefined || f.deleted_at === null;
  const k: RowKeys = {
    orgId: null,
    org2Id: null,
    productId: null,
    refId: null,
    status: null,
    access: null,
    live,
  };
  switch (table) {
    case 'organizations':
      k.orgId = rowId;
      break;
    case 'people':
      break;
    case 'memberships':
      k.orgId = s(f.organization_id);
      k.refId = s(f.person_id);
      break;
    case 'products':
      k.orgId = s(f.organization_id);
      k.productId = rowId;
      break;
    case 'product_tags': {
      k.productId = s(f.product_id);
      k.refId = s(f.tag_id);
      k.orgId = k.productId ? ((await parent('products', k.productId))?.orgId ?? null) : null;
      break;
    }
    case 'work_team_members':
    case 'work_team_products': {
      const team = s(f.team_id);
      k.refId = team;
      k.productId = s(f.product_id);
      k.orgId = team ? ((await parent('work_teams', team))?.orgId ?? null) : null;
      break;
    }
    // The payer's organization (invoices.organization_id) and the issuer: both sides of the
    // sale see it, never the partner or client on the other side of a partnership.
    case 'invoices':
      k.orgId = s(f.organization_id);
      k.org2Id = s(f.issuer_organization_id);
      k.status = s(f.status);
      // A credit note points at what it corrects: the hub finds them to derive what is due.
      k.refId = s(f.corrects_invoice_id);
      break;
    case 'partnerships':
      k.orgId = s(f.client_organization_id);
      k.org2Id = s(f.partner_organization_id);
      k.status = s(f.status);
      k.access = s(f.access);
      break;
    case 'partnership_products': {
      k.refId = s(f.partnership_id);
      k.productId = s(f.product_id);
      const p = k.refId ? await parent('partnerships', k.refId) : null;
      k.orgId = p?.orgId ?? null;
      k.org2Id = p?.org2Id ?? null;
      break;
    }
    case 'payments':
    case 'ledger_entries': {
      k.orgId = s(f.organization_id);
      const invoice = s(f.invoice_id);
      k.refId = invoice;
      k.org2Id = invoice ? ((await parent('invoices', invoice))?.org2Id ?? null) : null;
      break;
    }
    case 'invoice_voids':
      k.orgId = s(f.organization_id);
      k.org2Id = s(f.issuer_organization_id);
      k.refId = s(f.invoice_id);
      break;
    case 'degressive_tiers':
    case 'price_book':
      break;
    default:
      k.orgId = s(f.organization_id);
  }
  return k;
}
