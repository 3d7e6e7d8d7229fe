import { useId, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Currency } from '#common/enums';
import { useFormat } from '../../i18n/format';

export interface MonthAmount {
  month: string;
  currency: Currency;
  amountMinor: number;
}

const WIDTH = 640;
const HEIGHT = 220;
const PAD = { top: 22, right: 8, bottom: 26, left: 72 };
const TICKS = 4;

/** A round step (1, 2 or 5 × 10ⁿ minor units) so the axis reads 0, 50, 100… not 0, 47.3… */
function niceStep(max: number): number {
  const raw = Math.max(1, max / TICKS);
  const power = 10 ** Math.floor(Math.log10(raw));
  const unit = raw / power;
  return (unit <= 1 ? 1 : unit <= 2 ? 2 : unit <= 5 ? 5 : 10) * power;
}

/**
 * Cashback per month of one year, one currency: an inline SVG bar chart (no chart library)
 * that is an image with a text alternative, and the same numbers as a table beneath it.
 */
export function CashbackChart({
  year,
  currency,
  data,
}: {
  year: number;
  currency: Currency;
  data: readonly MonthAmount[];
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const titleId = useId();
  const descId = useId();
  const months = useMemo(() => {
    const byMonth = new Map(
      data.filter((d) => d.currency === currency).map((d) => [Number(d.month.slice(5, 7)), d.amountMinor]),
    );
    const monthName = new Intl.DateTimeFormat(fmt.locale, { month: 'short', timeZone: 'UTC' });
    const longName = new Intl.DateTimeFormat(fmt.locale, { month: 'long', timeZone: 'UTC' });
    return Array.from({ length: 12 }, (_, i) => {
      const date = new Date(Date.UTC(year, i, 1));
      return {
        index: i + 1,
        label: monthName.format(date),
        long: longName.format(date),
        amountMinor: byMonth.get(i + 1) ?? 0,
      };
    });
  }, [data, currency, year, fmt.locale]);

  const total = months.reduce((sum, m) => sum + m.amountMinor, 0);
  const max = Math.max(0, ...months.map((m) => m.amountMinor));
  const step = niceStep(max);
  const top = Math.max(step, Math.ceil(max / step) * step);
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotW / 12;
  const barW = Math.min(30, slot * 0.62);
  const y = (v: number) => PAD.top + plotH - (v / top) * plotH;
  const best = months.reduce((a, b) => (b.amountMinor > a.amountMinor ? b : a), months[0]!);

  return (
    <figure className="cashback-chart" data-testid="cashback-chart" data-currency={currency}>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-labelledby={`${titleId} ${descId}`}
        className="cashback-svg"
        preserveAspectRatio="xMidYMid meet"
      >
        <title id={titleId}>{t('partners.dashboard.chartTitle', { year, currency })}</title>
        <desc id={descId}>
          {total === 0
            ? t('partners.dashboard.chartEmpty')
            : t('partners.dashboard.chartSummary', {
                total: fmt.money(total, currency),
                month: best.long,
                best: fmt.money(best.amountMinor, currency),
              })}
        </desc>
        {Array.from({ length: Math.round(top / step) + 1 }, (_, i) => i * step).map((v) => (
          <g key={v} className="chart-grid">
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(v)} y2={y(v)} />
            <text x={PAD.left - 8} y={y(v)} dy="0.32em" textAnchor="end" className="chart-axis-label">
              {fmt.money(v, currency)}
            </text>
          </g>
        ))}
        {months.map((m, i) => {
          const h = (m.amountMinor / top) * plotH;
          const x = PAD.left + i * slot + (slot - barW) / 2;
          return (
            <g
              key={m.index}
              data-testid="cashback-bar"
              data-month={m.index}
              data-amount-minor={m.amountMinor}
            >
              <title>{`${m.long}: ${fmt.money(m.amountMinor, currency)}`}</title>
              {m.amountMinor > 0 && (
                <>
                  <rect
                    className="chart-bar"
                    x={x}
                    y={y(m.amountMinor)}
                    width={barW}
                    height={Math.max(h, 1)}
                    rx={3}
                  />
                  <text
                    x={x + barW / 2}
                    y={Math.max(y(m.amountMinor) - 6, 10)}
                    textAnchor="middle"
                    className="chart-value"
                  >
                    {fmt.money(m.amountMinor, currency)}
                  </text>
                </>
              )}
              <text x={x + barW / 2} y={HEIGHT - 8} textAnchor="middle" className="chart-axis-label">
                {m.label}
              </text>
            </g>
          );
        })}
      </svg>
      <details className="chart-table-toggle">
        <summary>{t('partners.dashboard.showTable')}</summary>
        <table className="table table-compact" data-testid="cashback-table">
          <caption className="visually-hidden">
            {t('partners.dashboard.chartTitle', { year, currency })}
          </caption>
          <thead>
            <tr>
              <th scope="col">{t('partners.dashboard.month')}</th>
              <th scope="col" className="num">
                {t('partners.dashboard.cashback')}
              </th>
            </tr>
          </thead>
          <tbody>
            {months.map((m) => (
              <tr key={m.index}>
                <th scope="row">{m.long}</th>
                <td className="num">{fmt.money(m.amountMinor, currency)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">{t('partners.dashboard.total')}</th>
              <td className="num">{fmt.money(total, currency)}</td>
            </tr>
          </tfoot>
        </table>
      </details>
    </figure>
  );
}
