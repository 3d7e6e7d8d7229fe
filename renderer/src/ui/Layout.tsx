import type { ReactNode } from 'react';
import { Button } from './Button';
import { IconPlus } from './icons';

export function PageHeader({
  title,
  subtitle,
  actions,
  leading,
  children,
}: {
  title: ReactNode;
  subtitle?: ReactNode;
  actions?: ReactNode;
  leading?: ReactNode;
  children?: ReactNode;
}) {
  return (
    <header className="page-header">
      <div className="page-header-row">
        {leading}
        <div className="page-header-text">
          <h1 className="page-title">{title}</h1>
          {subtitle && <p className="page-subtitle">{subtitle}</p>}
        </div>
        {actions && <div className="page-actions">{actions}</div>}
      </div>
      {children}
    </header>
  );
}

/**
 * The head of a panel inside an organization's page (members, addresses, teams, activity): its
 * title, what it holds, and the one "add" action when the person may add.
 */
export function PanelHeader({
  title,
  subtitle,
  add,
}: {
  title: ReactNode;
  subtitle: ReactNode;
  add?: { label: ReactNode; onPress: () => void; testId: string } | false;
}) {
  return (
    <div className="panel-header">
      <div>
        <h2 className="panel-title">{title}</h2>
        <p className="panel-subtitle">{subtitle}</p>
      </div>
      {add && (
        <Button variant="primary" icon={<IconPlus />} onClick={add.onPress} data-testid={add.testId}>
          {add.label}
        </Button>
      )}
    </div>
  );
}

export function EmptyState({
  icon,
  title,
  body,
  action,
  testId,
}: {
  icon?: ReactNode;
  title: ReactNode;
  body?: ReactNode;
  action?: ReactNode;
  testId?: string;
}) {
  return (
    <div className="empty-state" data-testid={testId}>
      {icon && <div className="empty-icon">{icon}</div>}
      <p className="empty-title">{title}</p>
      {body && <p className="empty-body">{body}</p>}
      {action && <div className="empty-action">{action}</div>}
    </div>
  );
}

/**
 * A list with no row to show: "nothing matches" with the way back to every row when filters
 * hide them, else "nothing yet" with the way to make the first one (invoices, products).
 */
export function ListEmpty({
  filtered,
  icon,
  noMatch,
  empty,
  testId,
}: {
  filtered: boolean;
  icon: ReactNode;
  noMatch: { title: ReactNode; body: ReactNode; clear: ReactNode };
  empty: { title: ReactNode; body: ReactNode; action?: ReactNode };
  testId: string;
}) {
  const shown = filtered ? { ...noMatch, action: noMatch.clear } : empty;
  return <EmptyState icon={icon} title={shown.title} body={shown.body} action={shown.action} testId={testId} />;
}

export function Card({
  title,
  actions,
  children,
  className,
}: {
  title?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
}) {
  return (
    <section className={['card', className ?? ''].filter(Boolean).join(' ')}>
      {(title || actions) && (
        <header className="card-header">
          {title && <h2 className="card-title">{title}</h2>}
          {actions && <div className="card-actions">{actions}</div>}
        </header>
      )}
      <div className="card-body">{children}</div>
    </section>
  );
}

export interface TabItem {
  id: string;
  label: ReactNode;
  href: string;
  count?: number;
}

/** Tabs that are links (each tab has its own address), marked up as a navigation. */
export function TabNav({ items, current, label }: { items: TabItem[]; current: string; label: string }) {
  return (
    <nav className="tabs" aria-label={label}>
      {items.map((item) => (
        <a
          key={item.id}
          href={item.href}
          className={`tab${item.id === current ? ' tab-active' : ''}`}
          aria-current={item.id === current ? 'page' : undefined}
          data-testid={`org-tab-${item.id}`}
        >
          {item.label}
          {item.count !== undefined && <span className="tab-count">{item.count}</span>}
        </a>
      ))}
    </nav>
  );
}

/**
 * The foot of a list read page by page on demand (activity, ledger): "Load more" while there is
 * more, else how many rows there are.
 */
export function LoadMore({
  list,
  label,
  endLabel,
  testId,
}: {
  list: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => unknown };
  label: ReactNode;
  endLabel: ReactNode;
  testId: string;
}) {
  return (
    <div className="load-more">
      {list.hasNextPage ? (
        <Button
          onClick={() => void list.fetchNextPage()}
          loading={list.isFetchingNextPage}
          data-testid={testId}
        >
          {label}
        </Button>
      ) : (
        <span className="muted">{endLabel}</span>
      )}
    </div>
  );
}
