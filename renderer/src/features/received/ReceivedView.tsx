import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Currency } from '#common/enums';
import { formatIban } from '#common/payment-reference';
import { save } from '../../api/client';
import { errorMessage, useApi, useApiMutation } from '../../api/queries';
import { href } from '../../app/router';
import { useFormat } from '../../i18n/format';
import { Alert } from '../../ui/Alert';
import { Badge } from '../../ui/Badge';
import { Button } from '../../ui/Button';
import { DataTable } from '../../ui/DataTable';
import { DateField } from '../../ui/DateField';
import { IconCheck } from '../../ui/icons';
import { Card, PageHeader } from '../../ui/Layout';
import { LoadingBlock } from '../../ui/Spinner';
import { useToast } from '../../ui/Toast';
import { IconDownload } from '../invoices/icons';
import { today } from '../invoices/invoice-ui';
import '../invoices/invoices.css';
import './received.css';

type Detail = NonNullable<ReturnType<typeof useApi<'received.get'>>['data']>;
type Party = Detail['model']['seller'];

function PartyCard({ title, party, testId }: { title: string; party: Party; testId: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const a = party.address;
  return (
    <Card title={title} className="received-party">
      <div data-testid={testId}>
        <strong>{party.name}</strong>
        <p>
          {[a.line1, a.line2].filter(Boolean).join(', ')}
          {a.line1 || a.line2 ? <br /> : null}
          {[a.postalCode, a.city].filter(Boolean).join(' ')}
          {a.country ? ` · ${fmt.country(a.country)}` : ''}
        </p>
        <dl>
          {party.vatId && (
            <>
              <dt>{t('einvoice.received.vatId')}</dt>
              <dd>{party.vatId}</dd>
            </>
          )}
          {party.legalId && (
            <>
              <dt>{t('einvoice.received.legalId')}</dt>
              <dd>{party.legalId.value}</dd>
            </>
          )}
        </dl>
      </div>
    </Card>
  );
}

/** Amounts of a received document: integers in minor units, a price possibly finer (0.0125). */
function price(minor: number, currency: Currency, locale: string): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency, maximumFractionDigits: 6 }).format(
    minor / 100,
  );
}

/** One received document, read-only: parties, lines, VAT breakdown, totals, payment; its files; paid or not. */
export function ReceivedView({ orgId, receivedId }: { orgId: string; receivedId: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const toast = useToast();
  const doc = useApi('received.get', { id: receivedId });
  const [paidOn, setPaidOn] = useState(today());
  const mark = useApiMutation('received.markPaid', {
    onSuccess: (value) =>
      toast.success(value.paidOn ? t('einvoice.received.paidToast') : t('einvoice.received.unpaidToast')),
    onError: (e) => toast.error(errorMessage(e)),
  });
  const download = async (part: 'original' | 'xml') => {
    try {
      await save('received.file', { id: receivedId, part });
    } catch (e) {
      toast.error(errorMessage(e));
    }
  };
  if (doc.isLoading) return <LoadingBlock label={t('common.loading')} />;
  if (doc.isError || !doc.data)
    return (
      <div className="page-body">
        <Alert tone="error">{doc.error?.message ?? t('einvoice.received.notFound')}</Alert>
      </div>
    );
  const d = doc.data;
  const m = d.model;
  const money = (minor: number) => fmt.money(minor, d.currency);
  const totals: [string, number | undefined, string][] = [
    [t('einvoice.received.net'), m.totals.lineNetMinor, 'net'],
    [t('einvoice.received.allowances'), m.totals.allowanceMinor, 'allowances'],
    [t('einvoice.received.charges'), m.totals.chargeMinor, 'charges'],
    [t('einvoice.received.vat'), m.totals.taxMinor, 'vat'],
    [t('einvoice.received.gross'), m.totals.grossMinor, 'gross'],
    [t('einvoice.received.prepaid'), m.totals.prepaidMinor || undefined, 'prepaid'],
    [t('einvoice.received.rounding'), m.totals.roundingMinor, 'rounding'],
    [t('einvoice.received.payable'), m.totals.payableMinor, 'payable'],
  ];
  return (
    <div className="page">
      <PageHeader
        title={
          <>
            {d.number}{' '}
            <Badge tone={d.creditNote ? 'violet' : 'blue'}>
              {d.creditNote ? t('einvoice.received.creditNote') : t('einvoice.received.invoice')}
            </Badge>
          </>
        }
        subtitle={`${d.sellerName} · ${fmt.date(d.issuedOn)} · ${d.format}`}
        actions={
          <>
            <Button
              icon={<IconDownload size={14} />}
              onClick={() => void download('original')}
              data-testid="received-download-original"
            >
              {t('einvoice.received.downloadOriginal')}
            </Button>
            <Button
              icon={<IconDownload size={14} />}
              onClick={() => void download('xml')}
              data-testid="received-download-xml"
            >
              {t('einvoice.received.downloadXml')}
            </Button>
          </>
        }
      >
        <a href={href({ name: 'received', orgId })} data-testid="received-back">
          ← {t('einvoice.received.back')}
        </a>
      </PageHeader>
      <div className="page-body">
        <p className="muted">
          {t('einvoice.received.importedOn', { date: fmt.dateTime(d.importedAt), file: d.fileName })}
        </p>
        <div className="received-grid">
          <PartyCard title={t('einvoice.received.seller')} party={m.seller} testId="received-seller" />
          <PartyCard title={t('einvoice.received.buyer')} party={m.buyer} testId="received-buyer" />
          <Card title={t('einvoice.received.payment')}>
            <dl className="received-facts" data-testid="received-payment">
              {m.dueDate && (
                <>
                  <dt>{t('einvoice.received.dueOn')}</dt>
                  <dd>{fmt.date(m.dueDate)}</dd>
                </>
              )}
              {m.payment && (
                <>
                  <dt>{t('einvoice.received.means')}</dt>
                  <dd>{m.payment.code}</dd>
                  {m.payment.iban && (
                    <>
                      <dt>{t('einvoice.received.iban')}</dt>
                      <dd>{formatIban(m.payment.iban)}</dd>
                    </>
                  )}
                  {m.payment.bic && (
                    <>
                      <dt>{t('einvoice.received.bic')}</dt>
                      <dd>{m.payment.bic}</dd>
                    </>
                  )}
                  {m.payment.remittance && (
                    <>
                      <dt>{t('einvoice.received.reference')}</dt>
                      <dd>{m.payment.remittance}</dd>
                    </>
                  )}
                </>
              )}
              {m.paymentTerms && (
                <>
                  <dt>{t('einvoice.received.terms')}</dt>
                  <dd>{m.paymentTerms}</dd>
                </>
              )}
            </dl>
            <div className="received-paid-form">
              {d.paidOn ? (
                <>
                  <Badge tone="green" testId="received-paid-badge">
                    {t('einvoice.received.status.paid', { date: fmt.date(d.paidOn) })}
                  </Badge>
                  <Button
                    size="sm"
                    loading={mark.isPending}
                    onClick={() => mark.mutate({ id: d.id, paidOn: null })}
                    data-testid="received-mark-unpaid"
                  >
                    {t('einvoice.received.markUnpaid')}
                  </Button>
                </>
              ) : (
                <>
                  <DateField
                    label={t('einvoice.received.paidOn')}
                    value={paidOn}
                    onChange={setPaidOn}
                    testId="received-paid-on"
                  />
                  <Button
                    variant="primary"
                    icon={<IconCheck size={14} />}
                    loading={mark.isPending}
                    disabled={!paidOn}
                    onClick={() => mark.mutate({ id: d.id, paidOn })}
                    data-testid="received-mark-paid"
                  >
                    {t('einvoice.received.markPaid')}
                  </Button>
                </>
              )}
            </div>
          </Card>
        </div>
        <Card title={t('einvoice.received.lines')}>
          <DataTable
            cardClassName="inv-inner-table"
            testId="received-lines"
            columns={[
              { label: '#' },
              { label: t('einvoice.received.lineColumns.name') },
              { label: t('einvoice.received.lineColumns.quantity'), num: true },
              { label: t('einvoice.received.lineColumns.price'), num: true },
              { label: t('einvoice.received.lineColumns.category') },
              { label: t('einvoice.received.lineColumns.net'), num: true },
            ]}
          >
            {m.lines.map((l) => (
              <tr key={l.id} data-testid="received-line">
                <td>{l.id}</td>
                <td>{l.name}</td>
                <td className="num">
                  {fmt.number(l.quantityMilli / 1000)} {l.unitCode}
                </td>
                <td className="num">{price(l.priceMinor, d.currency, fmt.locale)}</td>
                <td>
                  {l.category} {l.category !== 'O' ? `${fmt.number(l.rateBp / 100)} %` : ''}
                </td>
                <td className="num">{money(l.netMinor)}</td>
              </tr>
            ))}
          </DataTable>
        </Card>
        <div className="received-grid">
          <Card title={t('einvoice.received.vatBreakdown')}>
            <table className="table" data-testid="received-vat">
              <thead>
                <tr>
                  <th scope="col">{t('einvoice.received.vatColumns.category')}</th>
                  <th scope="col" className="num">
                    {t('einvoice.received.vatColumns.rate')}
                  </th>
                  <th scope="col" className="num">
                    {t('einvoice.received.vatColumns.taxable')}
                  </th>
                  <th scope="col" className="num">
                    {t('einvoice.received.vatColumns.tax')}
                  </th>
                  <th scope="col">{t('einvoice.received.vatColumns.reason')}</th>
                </tr>
              </thead>
              <tbody>
                {m.vat.map((v) => (
                  <tr key={`${v.category}-${v.rateBp}`}>
                    <td>{v.category}</td>
                    <td className="num">{fmt.number(v.rateBp / 100)} %</td>
                    <td className="num">{money(v.taxableMinor)}</td>
                    <td className="num">{money(v.taxMinor)}</td>
                    <td>{v.exemptionReason ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Card>
          <Card title={t('einvoice.received.totals')}>
            <dl className="received-facts" data-testid="received-totals">
              {totals
                .filter(([, v]) => v !== undefined)
                .map(([label, value, key]) => (
                  <div key={key} style={{ display: 'contents' }} data-testid={`received-total-${key}`}>
                    <dt>{label}</dt>
                    <dd className="num">{money(value ?? 0)}</dd>
                  </div>
                ))}
            </dl>
          </Card>
        </div>
        {m.notes.length > 0 && (
          <Card title={t('einvoice.received.notes')}>
            {m.notes.map((n) => (
              <p key={n}>{n}</p>
            ))}
          </Card>
        )}
      </div>
    </div>
  );
}
