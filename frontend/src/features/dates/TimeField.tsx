import { useEffect, useState } from 'react';
import { TextInput } from '@mantine/core';
import { formatClock, parseTypedTime, practiceCountry } from '../../format';

/**
 * A time of day typed and shown in the practice's clock ("13:30" in the UK,
 * "1:30 PM" in the US), not a native time field, which follows the
 * computer's language. value and onChange carry "HH:MM" (24-hour); text
 * that is not a time is passed on as typed, so the save says what is wrong.
 * Its hint line (the zone, or how to type it) matches the day field's beside
 * it, and the zone is not in the label, which then wrapped on a narrow
 * window: the two boxes stay level.
 */
export function TimeField({ label, value, onChange, size, w, disabled, testId, zone }: {
  label: string;
  value: string;
  onChange: (hhmm: string) => void;
  size?: string;
  w?: number;
  disabled?: boolean;
  testId?: string;
  /** The zone the time is in ("Europe/London"), said under the label instead of how to type it. */
  zone?: string;
}) {
  const [text, setText] = useState(() => (value ? formatClock(value) : ''));
  const parsed = text.trim() ? parseTypedTime(text) : null;
  useEffect(() => {
    setText((t) => ((parseTypedTime(t) ?? t.trim()) === value ? t : value ? formatClock(value) : ''));
  }, [value]);
  return (
    <TextInput
      label={label}
      size={size}
      w={w}
      disabled={disabled}
      value={text}
      placeholder={practiceCountry() === 'US' ? '9:00 AM' : '09:00'}
      description={zone || `Type it as ${practiceCountry() === 'US' ? '9:30 AM' : '09:30'}`}
      error={text.trim() && !parsed ? `Type a time such as ${practiceCountry() === 'US' ? '9:30 AM' : '09:30 or 14:00'}` : undefined}
      autoComplete="off"
      data-testid={testId}
      onChange={(e) => {
        const t = e.currentTarget.value;
        setText(t);
        onChange(parseTypedTime(t) ?? t.trim());
      }}
      onBlur={() => parsed && setText(formatClock(parsed))}
    />
  );
}
