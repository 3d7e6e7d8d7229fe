import { useTranslation } from 'react-i18next';
import type { MethodInput } from '../../api/client';
import { Checkbox } from '../../ui/Field';

type RunInput = MethodInput<'imports.run'>;
type Kind = RunInput['kind'];
export type Overrides = Required<
  Pick<RunInput, 'acceptVatRates' | 'acceptCurrencies' | 'acceptDuplicateTaxIds'>
>;
export const NO_OVERRIDES: Overrides = {
  acceptVatRates: false,
  acceptCurrencies: false,
  acceptDuplicateTaxIds: false,
};

/** Which checks each kind of file may overrule (the others are refusals with no way around). */
const BY_KIND: Record<Kind, (keyof Overrides)[]> = {
  organizations: ['acceptDuplicateTaxIds'],
  products: [],
  invoices: ['acceptVatRates', 'acceptCurrencies'],
};

/**
 * The boxes that keep what an import would refuse. Their labels are the names the refusals
 * give them ("…import with --accept-currencies (in the app: “Keep other currencies”)"), so a
 * person reading a refusal finds the box it names.
 */
export function ImportOverrides({
  kind,
  value,
  onChange,
}: {
  kind: Kind;
  value: Overrides;
  onChange: (next: Overrides) => void;
}) {
  const { t } = useTranslation();
  return (
    <>
      {BY_KIND[kind].map((key) => (
        <Checkbox
          key={key}
          label={t(`imports.overrides.${key}`)}
          description={t(`imports.overrides.${key}Hint`)}
          checked={value[key]}
          onChange={(e) => onChange({ ...value, [key]: e.target.checked })}
          testId={`import-${key}`}
        />
      ))}
    </>
  );
}
