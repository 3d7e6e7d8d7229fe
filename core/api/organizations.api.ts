import {
  ById,
  CreateOrganization,
  ListOrganizations,
  OrganizationById,
  PageOrganizations,
  UpdateOrganization,
} from '#common/organizations.schema';
import {
  createOrganization,
  deleteOrganization,
  getOrganizationAs,
  listOrganizations,
  organizationStats,
  pageOrganizations,
  updateOrganization,
} from '../services/organizations.service';
import { mutation, query } from './method';

export const organizationsApi = {
  'organizations.list': query(
    ListOrganizations,
    'Organizations with product and member counts',
    listOrganizations,
  ),
  'organizations.page': query(
    PageOrganizations,
    'One page of organizations (keyset cursor on name, id)',
    pageOrganizations,
  ),
  'organizations.get': query(OrganizationById, 'One organization', (ctx, i) =>
    getOrganizationAs(ctx, i.id, i.actingOrganizationId),
  ),
  'organizations.stats': query(OrganizationById, 'Counts of products, tags, members, addresses', (ctx, i) =>
    organizationStats(ctx, i.id, i.actingOrganizationId),
  ),
  'organizations.create': mutation(
    CreateOrganization,
    'Create an organization (VAT number / UID validated)',
    createOrganization,
  ),
  'organizations.update': mutation(UpdateOrganization, 'Change an organization', updateOrganization),
  'organizations.delete': mutation(ById, 'Delete an organization (tombstone)', (ctx, i) =>
    deleteOrganization(ctx, i.id),
  ),
};
