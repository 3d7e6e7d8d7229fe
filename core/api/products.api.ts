import {
  CheckFrequencyChange,
  CountProducts,
  CreateProduct,
  ListProducts,
  ProductView,
  UpdateProduct,
} from '#common/products.schema';
import {
  checkFrequencyChange,
  countProducts,
  createProduct,
  deleteProduct,
  getProduct,
  listProducts,
  updateProduct,
} from '../services/products.service';
import { mutation, query } from './method';

export const productsApi = {
  'products.list': query(ListProducts, 'A keyset page of products, filtered and sorted', listProducts),
  'products.count': query(CountProducts, 'How many products match the filters', countProducts),
  'products.get': query(ProductView, 'One product with its tags', (ctx, i) =>
    getProduct(ctx, i.id, i.actingOrganizationId),
  ),
  'products.create': mutation(CreateProduct, 'Create a product', createProduct),
  'products.update': mutation(
    UpdateProduct,
    'Change a product (frequency changes may need confirmRebilling)',
    updateProduct,
  ),
  'products.checkFrequencyChange': query(
    CheckFrequencyChange,
    'Would this billing-frequency change bill remaining months again?',
    checkFrequencyChange,
  ),
  'products.delete': mutation(ProductView, 'Delete a product (tombstone)', (ctx, i) =>
    deleteProduct(ctx, i.id, i.actingOrganizationId),
  ),
};
