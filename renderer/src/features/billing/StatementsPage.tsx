import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call, type MethodOutput } from '../../api/client';
import { readBase64 } from '../../api/files';
import { errorMessage, useApiMutation } from '../../api/queries';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { IconUpload } from '../../ui/icons';
import { Card, PageHeader } from '../../ui/Layout';
import { useToast } from '../../ui/Toast';
import { ReconcileList } from './ReconcileList';
import { StatementPreview } from './StatementPreview';
import './billing.css';

export type StatementImport = MethodOutput<'payments.importStatement'>;

interface Chosen {
  fileName: string;
  contentBase64: string;
  preview: StatementImport;
}

/**
 * A bank statement (camt.053 / camt.054) back into the book (issue 12): the file is read and
 * every credit shown with its proposed match and reason before anything is written; recording
 * it is all or nothing. What matches nothing waits below, to be reconciled by hand.
 */
export function StatementsPage() {
  const { t } = useTranslation();
  const toast = useToast();
  const input = useRef<HTMLInputElement>(null);
  const [chosen, setChosen] = useState<Chosen | null>(null);
  const [reading, setReading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const record = useApiMutation('payments.importStatement', {
    onSuccess: (done) => {
      const recorded = done.entries.filter((e) => e.outcome.kind !== 'duplicate').length;
      toast.success(
        recorded
          ? t('billing.statements.recorded', { count: recorded })
          : t('billing.statements.nothingToRecord'),
      );
      setChosen(null);
    },
    onError: (e) => setError(errorMessage(e)),
  });

  const choose = async (file: File | undefined) => {
    if (!file) return;
    setReading(true);
    setError(null);
    setChosen(null);
    try {
      const contentBase64 = await readBase64(file);
      // The preview: the same call with dryRun, nothing written.
      const preview = await call('payments.importStatement', {
        fileName: file.name,
        contentBase64,
        dryRun: true,
      });
      setChosen({ fileName: file.name, contentBase64, preview });
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setReading(false);
      if (input.current) input.current.value = '';
    }
  };

  const fresh = chosen ? chosen.preview.entries.filter((e) => e.outcome.kind !== 'duplicate').length : 0;
  return (
    <div className="page">
      <PageHeader title={t('billing.statements.title')} subtitle={t('billing.statements.subtitle')} />
      <div className="page-body billing-page">
        <Card>
          <div className="billing-file">
            <input
              ref={input}
              type="file"
              accept=".xml,application/xml,text/xml"
              onChange={(e) => void choose(e.target.files?.[0])}
              data-testid="statement-file"
              aria-label={t('billing.statements.choose')}
            />
            <Button
              icon={<IconUpload size={14} />}
              onClick={() => input.current?.click()}
              loading={reading}
              data-testid="statement-choose"
            >
              {t('billing.statements.choose')}
            </Button>
            {chosen && (
              <span data-testid="statement-chosen">
                {t('billing.statements.chosen', {
                  file: chosen.fileName,
                  message: chosen.preview.message,
                  count: chosen.preview.entries.length,
                })}
              </span>
            )}
          </div>
          {error && (
            <Alert tone="error" testId="statement-error">
              {error}
            </Alert>
          )}
        </Card>
        {chosen && (
          <StatementPreview
            preview={chosen.preview}
            actions={
              <div className="billing-run-actions">
                <Button onClick={() => setChosen(null)} data-testid="statement-discard">
                  {t('billing.statements.discard')}
                </Button>
                <Button
                  variant="primary"
                  disabled={fresh === 0}
                  loading={record.isPending}
                  onClick={() =>
                    record.mutate({
                      fileName: chosen.fileName,
                      contentBase64: chosen.contentBase64,
                      dryRun: false,
                    })
                  }
                  data-testid="statement-confirm"
                >
                  {t('billing.statements.confirm')}
                </Button>
              </div>
            }
          />
        )}
        <ReconcileList />
      </div>
    </div>
  );
}
