import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert } from './Alert';
import { LoadingBlock } from './Spinner';

interface QueryLike<T> {
  isLoading: boolean;
  isError: boolean;
  error: Error | null;
  data: T | undefined;
}

/**
 * What a query shows while it loads, when it failed (its translated refusal), when its answer is
 * empty, and its answer — the ladder each list and page used to write by hand. With `isEmpty`,
 * no answer yet counts as empty (a query not asked yet shows the empty state, as before).
 */
export function QueryState<T>({
  query,
  errorTestId,
  isEmpty,
  empty,
  children,
}: {
  query: QueryLike<T>;
  errorTestId?: string;
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  children: (data: T) => ReactNode;
}) {
  const { t } = useTranslation();
  if (query.isLoading) return <LoadingBlock label={t('common.loading')} />;
  if (query.isError)
    return (
      <Alert tone="error" testId={errorTestId}>
        {query.error?.message}
      </Alert>
    );
  if (query.data === undefined) return isEmpty ? empty : null;
  if (isEmpty?.(query.data)) return empty;
  return children(query.data);
}
