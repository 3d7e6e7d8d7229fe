import type { MethodOutput } from './client';

// Shapes the screens work with, named once, derived from the contract (never restated).
export type OrganizationSummary = MethodOutput<'organizations.list'>[number];
export type Organization = MethodOutput<'organizations.get'>;
export type OrganizationStats = MethodOutput<'organizations.stats'>;
export type ProductRow = MethodOutput<'products.list'>['rows'][number];
export type ProductPage = MethodOutput<'products.list'>;
export type TagWithCount = MethodOutput<'tags.list'>[number];
export type Member = MethodOutput<'members.list'>[number];
export type Person = MethodOutput<'people.list'>[number];
export type BillingAddress = MethodOutput<'addresses.list'>[number];
export type Team = MethodOutput<'teams.list'>[number];
export type ActivityRow = MethodOutput<'activity.list'>['rows'][number];
export type FrequencyWarning = NonNullable<MethodOutput<'products.checkFrequencyChange'>>;
export type SystemInfo = MethodOutput<'system.info'>;
