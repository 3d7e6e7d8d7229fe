import { useTranslation } from 'react-i18next';
import type { MethodOutput } from '../../api/client';
import { useApi } from '../../api/queries';
import { useFormat } from '../../i18n/format';
import { Alert } from '../../ui/Alert';
import { LoadingBlock } from '../../ui/Spinner';
import { AGE_BUCKETS } from '#common/dashboard.schema';

type Overview = MethodOutput<'dashboard.money'>;
type Currency = Overview['revenue'][number]['currency'];

/**
 * Money at a glance: what is open and how late (one bar per currency, a segment per age),
 * what was earned per month (bars, 12 months, per currency), prepaid balances and the renewals
 * coming up. Plain SVG drawn with the theme's colours (so dark mode follows), every chart
 * with its figures as a table beneath ("as a table") for screen readers and for reading exact
 * amounts. A chart library would add a dependency for three bar charts.
 */
export function MoneyAtAGlance({ organizationId }: { organizationId?: string }) {
  const { t } = useTranslation();
  const overview = useApi('dashboard.money', organizationId ? { organizationId } : {});
  if (overview.isLoading) return <LoadingBlock label={t('common.loading')} />;
  if (overview.isError) return <Alert tone="error">{overview.error.message}</Alert>;
  const data = overview.data;
  if (!data) return null;
  const currencies = [
    ...new Set([...data.receivables.map((r) => r.currency), ...data.revenue.map((r) => r.currency)]),
  ].sort();
  return (
    <section className="money" aria-label={t('money.title')} data-testid="money-at-a-glance">
      <h2 className="money-title">{t('money.title')}</h2>
      {currencies.length === 0 && <p className="muted">{t('money.nothingYet')}</p>}
      <div className="money-grid">
        {currencies.map((currency) => (
          <Receivables key={`r-${currency}`} data={data} currency={currency} />
        ))}
        {currencies.map((currency) => (
          <Revenue key={`m-${currency}`} data={data} currency={currency} />
        ))}
        <Balances data={data} />
        <Renewals data={data} />
      </div>
    </section>
  );
}

const BUCKET_COLOR: Record<(typeof AGE_BUCKETS)[number], string> = {
  notDue: 'var(--accent)',
  days1to30: 'var(--amber)',
  days31to60: 'color-mix(in srgb, var(--amber) 55%, var(--red))',
  days61to90: 'color-mix(in srgb, var(--amber) 25%, var(--red))',
  over90: 'var(--red)',
};

function Receivables({ data, currency }: { data: Overview; currency: Currency }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const r = data.receivables.find((x) => x.currency === currency);
  const open = r?.openMinor ?? 0;
  let x = 0;
  return (
    <figure className="money-card" data-testid={`money-receivables-${currency}`}>
      <figcaption className="money-card-title">{t('money.receivables', { currency })}</figcaption>
      <div className="money-figures">
        <span className="money-big" data-testid={`money-open-${currency}`}>
          {fmt.money(open, currency)}
        </span>
        <span className="money-small">
          {t('money.overdue')}:{' '}
          <strong data-testid={`money-overdue-${currency}`}>
            {fmt.money(r?.overdueMinor ?? 0, currency)}
          </strong>{' '}
          · {t('money.openCount', { count: r?.openCount ?? 0 })}
          {(r?.feesMinor ?? 0) > 0 && (
            <>
              {' · '}
              {t('money.fees')}:{' '}
              <strong data-testid={`money-fees-${currency}`}>{fmt.money(r?.feesMinor ?? 0, currency)}</strong>
            </>
          )}
        </span>
      </div>
      <svg
        className="money-stack"
        viewBox="0 0 100 8"
        preserveAspectRatio="none"
        role="img"
        aria-label={t('money.byAge')}
      >
        <rect x="0" y="0" width="100" height="8" rx="2" fill="var(--surface-hover)" />
        {open > 0 &&
          AGE_BUCKETS.map((bucket) => {
            const w = ((r?.buckets[bucket] ?? 0) / open) * 100;
            const rect = <rect key={bucket} x={x} y="0" width={w} height="8" fill={BUCKET_COLOR[bucket]} />;
            x += w;
            return rect;
          })}
      </svg>
      <details className="money-table">
        <summary>{t('money.asTable')}</summary>
        <table>
          <tbody>
            {AGE_BUCKETS.map((bucket) => (
              <tr key={bucket}>
                <th scope="row">
                  <span className="money-swatch" style={{ background: BUCKET_COLOR[bucket] }} />{' '}
                  {t(`money.age.${bucket}`)}
                </th>
                <td className="num">{fmt.money(r?.buckets[bucket] ?? 0, currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

function Revenue({ data, currency }: { data: Overview; currency: Currency }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const byMonth = new Map(
    data.revenue.filter((r) => r.currency === currency).map((r) => [r.month, r.grossMinor]),
  );
  const values = data.months.map((m) => byMonth.get(m) ?? 0);
  const max = Math.max(1, ...values.map((v) => Math.abs(v)));
  const monthLabel = (m: string) =>
    new Intl.DateTimeFormat(fmt.locale, { month: 'short', timeZone: 'UTC' }).format(
      new Date(`${m}-01T00:00:00Z`),
    );
  return (
    <figure className="money-card money-wide" data-testid={`money-revenue-${currency}`}>
      <figcaption className="money-card-title">{t('money.revenue', { currency })}</figcaption>
      <svg
        className="money-bars"
        viewBox="0 0 240 90"
        // Its height is capped (app.css): in a wide card the chart sits under its title at the
        // left, not floating in the middle of the card (centred, as SVG does by default).
        preserveAspectRatio="xMinYMax meet"
        role="img"
        aria-label={t('money.revenue', { currency })}
      >
        {values.map((v, i) => {
          const h = (Math.max(0, v) / max) * 70;
          return (
            <g key={data.months[i]}>
              <rect x={i * 20 + 3} y={74 - h} width="14" height={h} rx="2" fill="var(--accent)">
                <title>{`${data.months[i]}: ${fmt.money(v, currency)}`}</title>
              </rect>
              <text x={i * 20 + 10} y="87" textAnchor="middle" className="money-axis">
                {monthLabel(data.months[i] ?? '')}
              </text>
            </g>
          );
        })}
      </svg>
      <details className="money-table">
        <summary>{t('money.asTable')}</summary>
        <table>
          <tbody>
            {data.months.map((m, i) => (
              <tr key={m}>
                <th scope="row">{m}</th>
                <td className="num">{fmt.money(values[i] ?? 0, currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

function Balances({ data }: { data: Overview }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <figure className="money-card">
      <figcaption className="money-card-title">{t('money.prepaid')}</figcaption>
      {data.prepaid.length === 0 ? (
        <p className="muted">{t('money.noPrepaid')}</p>
      ) : (
        <table className="money-list">
          <tbody>
            {data.prepaid.map((b) => (
              <tr key={`${b.organizationId}-${b.currency}`}>
                <th scope="row">{b.organizationName}</th>
                <td className="num">{fmt.money(b.balanceMinor, b.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </figure>
  );
}

function Renewals({ data }: { data: Overview }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <figure className="money-card">
      <figcaption className="money-card-title">{t('money.renewals')}</figcaption>
      {data.renewals.length === 0 ? (
        <p className="muted">{t('money.noRenewals')}</p>
      ) : (
        <table className="money-list">
          <tbody>
            {data.renewals.map((r) => (
              <tr key={r.productId}>
                <th scope="row">
                  {r.productName} <span className="muted">· {r.organizationName}</span>
                </th>
                <td>{fmt.date(r.nextRenewalOn)}</td>
                <td className="num">{fmt.money(r.publicPriceMinor, r.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </figure>
  );
}
