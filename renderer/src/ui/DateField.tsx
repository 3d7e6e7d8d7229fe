import { type CalendarDate, parseDate } from '@internationalized/date';
import { type ReactNode, useMemo } from 'react';
import {
  Button as AriaButton,
  Calendar,
  CalendarCell,
  CalendarGrid,
  DateInput,
  DatePicker,
  DateSegment,
  Dialog,
  Group,
  Heading,
  I18nProvider,
  Label,
  Popover,
  Text,
} from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../i18n/format';
import { IconCalendar } from './icons';

/** A calendar day as the API carries it (yyyy-mm-dd), or null when empty or not a real day. */
export function calendarDay(iso: string | null | undefined): CalendarDate | null {
  if (!iso || !/^\d{4}-\d{2}-\d{2}$/.test(iso)) return null;
  try {
    return parseDate(iso);
  } catch {
    return null;
  }
}

export interface DateFieldProps {
  label: ReactNode;
  /** yyyy-mm-dd, or '' when empty: the form keeps the API's form, the field shows the region's. */
  value: string;
  onChange: (iso: string) => void;
  min?: string;
  max?: string;
  error?: ReactNode;
  /** Marked wrong without a message of its own (a period whose message is shown once for both ends). */
  invalid?: boolean;
  hint?: ReactNode;
  optional?: string;
  testId?: string;
  /** A filter bar's small field whose label is read aloud but not shown. */
  compact?: boolean;
  /** The label sits beside the field (filter bars). */
  inline?: boolean;
  fieldClassName?: string;
}

/**
 * A date typed and shown as the person's format region writes it (07.12.2026 in de-CH,
 * 07/12/2026 in en-GB and fr-FR), never the browser's own order: the native date input follows
 * the browser's language, not Kontor's region. React Aria's DatePicker gives the segments their
 * keyboard (digits move on, arrows step, Backspace clears) and the calendar its grid; we only
 * hand it the same locale every amount and date on screen is formatted with.
 */
export function DateField({
  label,
  value,
  onChange,
  min,
  max,
  error,
  invalid,
  hint,
  optional,
  testId,
  compact,
  inline,
  fieldClassName,
}: DateFieldProps) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const day = useMemo(() => calendarDay(value), [value]);
  const classes = ['field', inline ? 'date-field-inline' : '', error ? 'field-invalid' : '', fieldClassName ?? '']
    .filter(Boolean)
    .join(' ');
  return (
    <I18nProvider locale={fmt.locale}>
      <DatePicker
        className={classes}
        value={day}
        onChange={(next) => onChange(next ? next.toString() : '')}
        minValue={calendarDay(min)}
        maxValue={calendarDay(max)}
        isInvalid={invalid || error ? true : undefined}
        // Our forms say what is wrong in words under the field; the browser's own bubble would not.
        validationBehavior="aria"
        // 07.12.2026 as the rest of the screen writes days, not 7.12.2026.
        shouldForceLeadingZeros
        data-testid={testId}
        data-value={value}
      >
        <Label className={compact ? 'visually-hidden' : inline ? 'inline-label' : 'field-label'}>
          {label}
          {optional && <span className="field-optional">{optional}</span>}
        </Label>
        <Group className={['input', 'date-group', compact || inline ? 'input-sm' : ''].filter(Boolean).join(' ')}>
          <DateInput className="date-segments">
            {(segment) => <DateSegment segment={segment} className="date-segment" />}
          </DateInput>
          <AriaButton className="date-button" aria-label={t('dateField.openCalendar')} data-testid={testId && `${testId}-calendar`}>
            <IconCalendar size={14} />
          </AriaButton>
        </Group>
        {error ? (
          <Text slot="errorMessage" className="field-error">
            {error}
          </Text>
        ) : hint ? (
          <Text slot="description" className="field-hint">
            {hint}
          </Text>
        ) : null}
        <Popover className="popover date-popover" placement="bottom start" offset={6}>
          <Dialog className="popover-dialog" aria-label={t('dateField.calendar')}>
            <Calendar className="calendar">
              <header className="calendar-head">
                <AriaButton slot="previous" className="date-button">
                  ‹
                </AriaButton>
                <Heading className="calendar-title" />
                <AriaButton slot="next" className="date-button">
                  ›
                </AriaButton>
              </header>
              <CalendarGrid className="calendar-grid">{(date) => <CalendarCell date={date} className="calendar-cell" />}</CalendarGrid>
            </Calendar>
          </Dialog>
        </Popover>
      </DatePicker>
    </I18nProvider>
  );
}
