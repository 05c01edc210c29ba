import { useEffect, useState } from 'react';
import { TextInput } from '@mantine/core';
import { formatDay, parseTypedDate, practiceCountry, typedDatePattern } from '../../format';

/**
 * A date typed in the practice's order (DD/MM/YYYY in the UK, MM/DD/YYYY in
 * the US), not a native date field, whose order follows the computer's
 * language: a day-first date typed on a month-first computer was stored as
 * another day, and the age check depends on it. value and onChange carry
 * "YYYY-MM-DD"; text that is not a date is passed on as typed, so the save
 * says what is wrong.
 */
export function DateField({ label, value, onChange, error, required, description, testId }: {
  label: string;
  value: string;
  onChange: (isoOrTyped: string) => void;
  error?: string;
  required?: boolean;
  description?: string;
  testId?: string;
}) {
  const [text, setText] = useState(() => (value ? formatTyped(value) : ''));
  const parsed = text.trim() ? parseTypedDate(text) : null;
  // A value set from outside (a loaded draft, a reset form) replaces the text.
  useEffect(() => {
    setText((t) => ((parseTypedDate(t) ?? t.trim()) === value ? t : value ? formatTyped(value) : ''));
  }, [value]);
  // Always a line under the label, so the field does not jump as the hint changes.
  const hint = parsed ? `Read as ${formatDay(parsed)}` : text.trim() ? `Not a date yet: type it as ${typedDatePattern()}` : description ?? `Type it as ${typedDatePattern()}`;
  return (
    <TextInput
      label={label}
      placeholder={typedDatePattern()}
      value={text}
      required={required}
      error={error}
      description={hint}
      inputMode="numeric"
      autoComplete="off"
      data-testid={testId}
      onChange={(e) => {
        const t = e.currentTarget.value;
        setText(t);
        onChange(parseTypedDate(t) ?? t.trim());
      }}
    />
  );
}

/** "1951-04-09" as the practice types it: "09/04/1951" (UK) or "04/09/1951" (US). */
export function formatTyped(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return iso;
  return practiceCountry() === 'US' ? `${m[2]}/${m[3]}/${m[1]}` : `${m[3]}/${m[2]}/${m[1]}`;
}
