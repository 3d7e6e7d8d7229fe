import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/queries';
import { TagChip } from '../../ui/Badge';
import { ProductPicker } from '../products/ProductPicker';
import { AccessChoice, PaymentChoice } from './AccessChoice';
import type { Access, Payment } from './partner-ui';

export interface Arrangement {
  access: Access;
  payment: Payment;
  productIds: string[];
}

/** What a client grants a partner: limited access on chosen products, or complete access with a payer. */
export function ArrangementForm({
  clientOrganizationId,
  value,
  onChange,
  testId,
}: {
  clientOrganizationId: string;
  value: Arrangement;
  onChange: (next: Arrangement) => void;
  testId: string;
}) {
  const { t } = useTranslation();
  // Names for the chips of products picked earlier (the picker only shows the current search).
  const known = useApi('products.list', { organizationId: clientOrganizationId, limit: 1000 });
  const names = useMemo(() => new Map((known.data?.rows ?? []).map((p) => [p.id, p.name])), [known.data]);
  const toggle = (id: string) =>
    onChange({
      ...value,
      productIds: value.productIds.includes(id)
        ? value.productIds.filter((x) => x !== id)
        : [...value.productIds, id],
    });

  return (
    <div className="partner-arrangement">
      <AccessChoice
        value={value.access}
        onChange={(access) => onChange({ ...value, access })}
        testId={`${testId}-access`}
      />
      {value.access === 'complete' ? (
        <PaymentChoice
          value={value.payment}
          onChange={(payment) => onChange({ ...value, payment })}
          testId={`${testId}-payment`}
        />
      ) : (
        <div className="field">
          <span className="field-label">
            {t('partners.arrangement.products')}{' '}
            <span className="tab-count" data-testid={`${testId}-picked-count`}>
              {value.productIds.length}
            </span>
          </span>
          <ProductPicker
            orgId={clientOrganizationId}
            isPicked={(id) => value.productIds.includes(id)}
            onPick={(p) => toggle(p.id)}
            label={t('partners.arrangement.findProduct')}
            testId={`${testId}-products`}
          />
          {value.productIds.length > 0 && (
            <div className="partner-picked">
              {value.productIds.map((id) => (
                <TagChip
                  key={id}
                  name={names.get(id) ?? id}
                  color="var(--accent)"
                  size="sm"
                  onRemove={() => toggle(id)}
                  removeLabel={t('partners.arrangement.removeProduct', { name: names.get(id) ?? id })}
                />
              ))}
            </div>
          )}
          <p className="field-hint">{t('partners.arrangement.productsHint')}</p>
        </div>
      )}
    </div>
  );
}
