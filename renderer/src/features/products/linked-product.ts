import { useEffect, useRef } from 'react';
import { errorMessage, useApi } from '../../api/queries';
import type { ProductRow } from '../../api/types';
import { useToast } from '../../ui/Toast';

/**
 * The product a link names (#/org/…/products/ID: the activity links a product there, issue 14),
 * opened in its form over its list as soon as it is read — once per link, so closing the form
 * leaves the list rather than opening it again. A product deleted since says so in a toast and
 * the list stays.
 */
export function useLinkedProduct(productId: string | undefined, open: (product: ProductRow) => void): void {
  const toast = useToast();
  const product = useApi('products.get', { id: productId ?? '' }, { enabled: !!productId });
  const opened = useRef<string | null>(null);
  useEffect(() => {
    if (!productId || opened.current === productId) return;
    if (product.data?.id === productId) {
      opened.current = productId;
      open(product.data);
    } else if (product.error) {
      opened.current = productId;
      toast.error(errorMessage(product.error));
    }
  }, [productId, product.data, product.error, open, toast]);
}
