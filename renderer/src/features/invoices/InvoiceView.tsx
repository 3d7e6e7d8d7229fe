import { useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { printedReference } from '#common/payment-reference';
import { call, save } from '../../api/client';
import { errorMessage, invalidateAfter } from '../../api/queries';
import { href, navigate } from '../../app/router';
import { useFormat } from '../../i18n/format';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { DataTable } from '../../ui/DataTable';
import { ConfirmDialog } from '../../ui/Dialog';
import { Card } from '../../ui/Layout';
import { useToast } from '../../ui/Toast';
import { OutboxList } from '../mail/OutboxList';
import { SendMailDialog } from '../mail/SendMailDialog';
import { CreditNoteDialog } from './CreditNoteDialog';
import { InvoicePayments } from './InvoicePayments';
import { IconCoins, IconDownload, IconMail, IconWallet } from './icons';
import { formatRate, formatScaled, type InvoiceDetail } from './invoice-ui';
import { PayFromPrepaidDialog, RecordPaymentDialog } from './PaymentDialogs';

type Open = 'payment' | 'prepaid' | 'credit' | 'convert' | 'mail' | null;

/** An issued document: read-only, with what can still happen to it (payments, a credit note). */
export function InvoiceView({
  invoice,
  renderHeader,
}: {
  invoice: InvoiceDetail;
  renderHeader: (actions: ReactNode) => ReactNode;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const toast = useToast();
  const client = useQueryClient();
  const [open, setOpen] = useState<Open>(null);
  const [pdfBusy, setPdfBusy] = useState(false);
  const [einvoiceBusy, setEinvoiceBusy] = useState(false);
  // Issued invoices and credit notes have an e-invoice (in the customer's format); a pro forma never.
  const hasEinvoice = invoice.kind !== 'pro_forma' && invoice.status !== 'draft';
  const [convertError, setConvertError] = useState<string | null>(null);
  const [converting, setConverting] = useState(false);
  const money = (minor: number) => fmt.money(minor, invoice.currency);
  // A credit note's totals take money off, as the list shows them: −63.00 here too.
  const total = (minor: number) => money(invoice.kind === 'credit_note' && minor > 0 ? -minor : minor);

  const isInvoice = invoice.kind === 'invoice';
  const settled = invoice.status === 'cancelled' || invoice.status === 'refunded';
  const canPay = isInvoice && invoice.dueMinor > 0 && !settled;
  // Only an invoice is corrected by a credit note (a pro forma is simply not converted), and
  // a pro forma converts once: afterwards it is closed.
  const canCredit = isInvoice && !settled;
  const canConvert = invoice.kind === 'pro_forma' && invoice.status === 'unpaid';
  // An issued document goes by e-mail with its PDF; a draft has no number yet.
  const canMail = invoice.status !== 'draft' && !!invoice.number;

  const downloadPdf = async () => {
    setPdfBusy(true);
    try {
      await save('invoices.pdf', { id: invoice.id });
    } catch (e) {
      toast.error(errorMessage(e));
    } finally {
      setPdfBusy(false);
    }
  };

  const downloadEinvoice = async () => {
    setEinvoiceBusy(true);
    try {
      await save('invoices.einvoice', { id: invoice.id });
    } catch (e) {
      toast.error(errorMessage(e));
    } finally {
      setEinvoiceBusy(false);
    }
  };

  const convert = async () => {
    setConverting(true);
    setConvertError(null);
    try {
      const draft = await call('invoices.convertProForma', { id: invoice.id });
      invalidateAfter(client, 'invoices.convertProForma');
      setOpen(null);
      toast.success(t('invoiceView.converted'));
      navigate({ name: 'invoice', orgId: draft.organizationId, invoiceId: draft.id });
    } catch (e) {
      setConvertError(errorMessage(e));
    } finally {
      setConverting(false);
    }
  };

  const bill = invoice.billTo;
  return (
    <>
      {renderHeader(
        <>
          <Button
            icon={<IconDownload size={14} />}
            onClick={() => void downloadPdf()}
            loading={pdfBusy}
            data-testid="invoice-download-pdf"
          >
            {t('invoiceView.downloadPdf')}
          </Button>
          {hasEinvoice && (
            <Button
              icon={<IconDownload size={14} />}
              onClick={() => void downloadEinvoice()}
              loading={einvoiceBusy}
              data-testid="invoice-download-einvoice"
            >
              {t('invoiceView.downloadEinvoice')}
            </Button>
          )}
          {canMail && (
            <Button
              icon={<IconMail size={14} />}
              onClick={() => setOpen('mail')}
              data-testid="invoice-send-mail"
            >
              {t('mail.send')}
            </Button>
          )}
          {isInvoice && (
            <Button
              icon={<IconCoins size={14} />}
              onClick={() => setOpen('payment')}
              data-testid="invoice-record-payment"
            >
              {t('invoiceView.recordPayment')}
            </Button>
          )}
          {canPay && (
            <Button
              variant="primary"
              icon={<IconWallet size={14} />}
              onClick={() => setOpen('prepaid')}
              data-testid="invoice-pay-prepaid"
            >
              {t('invoiceView.payPrepaid')}
            </Button>
          )}
          {canConvert && (
            <Button variant="primary" onClick={() => setOpen('convert')} data-testid="invoice-convert">
              {t('invoiceView.convert')}
            </Button>
          )}
        </>,
      )}
      <div className="page-body">
        {invoice.overdue && (
          <Alert tone="error" title={t('invoiceView.overdueTitle')} testId="invoice-overdue">
            {t('invoiceView.overdueBody', { due: fmt.date(invoice.dueOn), amount: money(invoice.dueMinor) })}
          </Alert>
        )}
        {invoice.kind === 'pro_forma' && <Alert tone="info">{t('invoiceView.proFormaNote')}</Alert>}
        <div className="inv-detail-grid">
          <div className="inv-detail-main">
            <Card title={t('invoiceEditor.lines')}>
              <DataTable
                cardClassName="inv-inner-table"
                testId="invoice-lines"
                columns={[
                  { label: t('invoiceEditor.description') },
                  { label: t('invoiceEditor.quantity'), num: true },
                  { label: t('invoiceEditor.unitPrice', { currency: invoice.currency }), num: true },
                  { label: t('invoiceEditor.discount'), num: true },
                  { label: t('invoiceView.vat'), num: true },
                  { label: t('invoiceEditor.amount'), num: true },
                ]}
              >
                {invoice.lines.map((line) => (
                  <tr key={line.id} data-testid="invoice-view-line">
                    <td>{line.description}</td>
                    <td className="num">{formatScaled(line.quantityMilli, 3, fmt.locale)}</td>
                    <td className="num nowrap">{money(line.unitPriceMinor)}</td>
                    <td className="num">{line.discountBp ? formatRate(line.discountBp, fmt.locale) : '—'}</td>
                    <td className="num">{formatRate(line.vatRateBp, fmt.locale)}</td>
                    <td className="num nowrap">{money(line.netMinor)}</td>
                  </tr>
                ))}
              </DataTable>
              <dl className="inv-sum inv-sum-wide" data-testid="invoice-totals">
                <div>
                  <dt>{t('invoiceView.net')}</dt>
                  <dd>{total(invoice.netMinor)}</dd>
                </div>
                {invoice.vatSummary.map((v) => (
                  <div key={v.vatRateBp}>
                    <dt>
                      {t('invoiceView.vatAt', {
                        rate: formatRate(v.vatRateBp, fmt.locale),
                        base: money(v.netMinor),
                      })}
                    </dt>
                    <dd>{total(v.vatMinor)}</dd>
                  </div>
                ))}
                <div className="inv-sum-total">
                  <dt>{t('invoiceView.gross')}</dt>
                  <dd data-testid="invoice-gross">{total(invoice.grossMinor)}</dd>
                </div>
                {isInvoice && (
                  <>
                    <div>
                      <dt>{t('invoiceView.paid')}</dt>
                      <dd data-testid="invoice-paid">{money(invoice.paidMinor)}</dd>
                    </div>
                    {invoice.creditedMinor > 0 && (
                      <div>
                        <dt>{t('invoiceView.credited')}</dt>
                        <dd data-testid="invoice-credited">{money(invoice.creditedMinor)}</dd>
                      </div>
                    )}
                    <div className="inv-sum-due">
                      <dt>{t('invoiceView.due')}</dt>
                      <dd data-testid="invoice-amount-due">{money(invoice.dueMinor)}</dd>
                    </div>
                  </>
                )}
              </dl>
              {invoice.reverseCharge && (
                <Alert
                  tone="info"
                  title={t('invoiceView.reverseChargeTitle')}
                  testId="invoice-reverse-charge"
                >
                  {t('invoiceView.reverseChargeBody')}
                </Alert>
              )}
              {invoice.notes && <p className="inv-notes">{invoice.notes}</p>}
            </Card>
            {isInvoice && <InvoicePayments invoiceId={invoice.id} />}
          </div>
          <div className="inv-detail-side">
            <Card title={t('invoiceView.details')}>
              <dl className="details inv-facts">
                <div className="details-row">
                  <dt>{t('invoiceView.kind')}</dt>
                  <dd>{t(`invoiceKinds.${invoice.kind}`)}</dd>
                </div>
                <div className="details-row">
                  <dt>{t('invoiceView.issuedOn')}</dt>
                  <dd data-testid="invoice-issued">{fmt.date(invoice.issuedOn)}</dd>
                </div>
                {invoice.dueOn && (
                  <div className="details-row">
                    <dt>{t('invoiceView.dueOn')}</dt>
                    <dd className={invoice.overdue ? 'pt-overdue' : undefined} data-testid="invoice-due">
                      {fmt.date(invoice.dueOn)}
                    </dd>
                  </div>
                )}
                {invoice.paymentReference && (
                  <div className="details-row">
                    <dt>{t('invoiceView.reference')}</dt>
                    <dd>
                      <span className="mono break" data-testid="invoice-payment-reference">
                        {/* In the QR-bill's own groups, as the PDF prints it: 27 digits in one
                            run wrapped wherever the card's edge fell. */}
                        {printedReference(invoice.paymentReference)}
                      </span>{' '}
                      {invoice.referenceType && <span className="pt-flag">{invoice.referenceType}</span>}
                    </dd>
                  </div>
                )}
                <div className="details-row">
                  <dt>{t('invoiceView.currency')}</dt>
                  <dd>{invoice.currency}</dd>
                </div>
                <div className="details-row">
                  <dt>{t('invoiceEditor.locale')}</dt>
                  <dd>{t(`invoiceEditor.locales.${invoice.locale}`)}</dd>
                </div>
                {invoice.correctsInvoiceId && (
                  <div className="details-row">
                    <dt>{t('invoiceView.corrects')}</dt>
                    <dd>
                      <a
                        href={href({
                          name: 'invoice',
                          orgId: invoice.organizationId,
                          invoiceId: invoice.correctsInvoiceId,
                        })}
                      >
                        {invoice.correctsNumber ?? t('invoiceView.openOriginal')}
                      </a>
                    </dd>
                  </div>
                )}
                {invoice.convertedFromId && (
                  <div className="details-row">
                    <dt>{t('invoiceView.convertedFrom')}</dt>
                    <dd>
                      <a
                        href={href({
                          name: 'invoice',
                          orgId: invoice.organizationId,
                          invoiceId: invoice.convertedFromId,
                        })}
                      >
                        {t('invoiceView.openProForma')}
                      </a>
                    </dd>
                  </div>
                )}
              </dl>
            </Card>
            <Card title={t('invoiceView.billTo')}>
              {bill ? (
                <address className="inv-address" data-testid="invoice-bill-to">
                  <strong>{bill.name}</strong>
                  {bill.recipient && bill.recipient !== bill.name && <span>{bill.recipient}</span>}
                  {bill.street && <span>{bill.street}</span>}
                  {bill.line2 && <span>{bill.line2}</span>}
                  <span>{`${bill.postalCode} ${bill.city}`.trim()}</span>
                  <span>{fmt.country(bill.country)}</span>
                  {(bill.vatNumber || bill.uid) && (
                    <span className="muted">
                      {bill.uid ? t('org.overview.uid') : t('org.overview.vatNumber')}:{' '}
                      {bill.uid ?? bill.vatNumber}
                    </span>
                  )}
                  {bill.email && <span className="muted">{bill.email}</span>}
                </address>
              ) : (
                <p className="muted">{invoice.organizationName}</p>
              )}
              {invoice.issuer && (
                <p className="field-hint inv-issuer">
                  {t('invoiceView.issuedBy', { name: invoice.issuer.name })}
                </p>
              )}
            </Card>
            {canMail && (
              <Card title={t('mail.history')}>
                <OutboxList documentId={invoice.id} />
              </Card>
            )}
            <Card title={t('invoiceView.corrections')}>
              <p className="field-hint">{t('invoiceView.correctionsHint')}</p>
              <div className="inv-side-actions">
                {canCredit && (
                  <Button onClick={() => setOpen('credit')} data-testid="invoice-credit-note">
                    {t('invoiceView.creditNote')}
                  </Button>
                )}
              </div>
            </Card>
          </div>
        </div>
      </div>
      <RecordPaymentDialog invoice={invoice} open={open === 'payment'} onClose={() => setOpen(null)} />
      <PayFromPrepaidDialog invoice={invoice} open={open === 'prepaid'} onClose={() => setOpen(null)} />
      <CreditNoteDialog invoice={invoice} open={open === 'credit'} onClose={() => setOpen(null)} />
      {canMail && (
        <SendMailDialog
          target={{ id: invoice.id }}
          number={invoice.number ?? ''}
          open={open === 'mail'}
          onClose={() => setOpen(null)}
        />
      )}
      <ConfirmDialog
        open={open === 'convert'}
        title={t('invoiceView.convertTitle')}
        body={t('invoiceView.convertBody')}
        confirmLabel={t('invoiceView.convert')}
        tone="primary"
        busy={converting}
        error={convertError}
        onConfirm={() => void convert()}
        onClose={() => setOpen(null)}
      />
    </>
  );
}
