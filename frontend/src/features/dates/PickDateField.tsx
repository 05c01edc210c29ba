import { useState } from 'react';
import type { MantineSize } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { dayIn, formatDay, parseTypedDate, practiceCountry, typedDatePattern } from '../../format';

/**
 * A day typed in the practice's order or picked from a calendar: a UK
 * practice sees and types 06/12/2026, a US one 12/06/2026, whatever the
 * computer's language (a native date field follows the computer, so a
 * day-first date typed on a month-first computer became another day).
 * value and onChange carry "YYYY-MM-DD", or "" for no date.
 *
 * The calendar opens under the field but never takes the focus, so a
 * keyboard user types the date and Tab moves on; Escape closes it. Text
 * that is not a date changes nothing: the field goes back to the date it
 * had and says why, rather than leaving the user to guess.
 *
 * allow="today-on" (a schedule) and "up-to-today" (the day a form was
 * signed) keep the other side of today out of the calendar, and a day typed
 * there is refused the same way: a post cannot go out yesterday and a
 * patient cannot have signed tomorrow. Today is zone's (the practice's).
 */
// The calendar's arrows, named for a screen reader. (Its "April 2026"
// button keeps its visible text as its name.)
const ariaLabels = {
  previousMonth: 'Previous month', nextMonth: 'Next month', previousYear: 'Previous year', nextYear: 'Next year',
  previousDecade: 'Previous decade', nextDecade: 'Next decade',
};

export function PickDateField({ label, value, onChange, error, description, clearable, disabled, size, w, testId, allow, zone }: {
  label: string;
  value: string;
  onChange: (iso: string) => void;
  error?: string;
  description?: string;
  /** An empty field means "no date" (otherwise emptying it keeps the date). */
  clearable?: boolean;
  disabled?: boolean;
  size?: MantineSize;
  w?: number;
  testId?: string;
  allow?: 'today-on' | 'up-to-today';
  /** The zone whose today allow counts from; this computer's when not given. */
  zone?: string;
}) {
  const us = practiceCountry() === 'US';
  const pattern = typedDatePattern();
  // What the user is typing, until they leave the field; then what was not a date.
  const [typed, setTyped] = useState<string | null>(null);
  const [rejected, setRejected] = useState<string | null>(null);
  const today = allow ? dayIn(zone) : '';
  const parsed = typed?.trim() ? parseTypedDate(typed) : null;
  // Why a real day cannot be chosen here, or "" when it can: short while
  // typing (one line, so the box stays level with the time beside it), in
  // full with what to do once the user leaves the field.
  const outside = (iso: string, full = true) =>
    allow === 'today-on' && iso < today ? `${formatDay(iso)} has already passed${full ? ': choose today or a later day.' : ''}`
      : allow === 'up-to-today' && iso > today ? `${formatDay(iso)} is after today${full ? ': choose today or an earlier day.' : ''}`
        : '';
  // Always a line under the label, so the field does not jump as the hint changes.
  const hint = typed?.trim()
    ? parsed ? outside(parsed, false) || `Read as ${formatDay(parsed)}` : `Not a date yet (${pattern})`
    // A schedule's day sits beside its time field: a hint that fits on one line keeps the two boxes level.
    : description ?? (allow === 'today-on' ? 'Type or pick a day' : `Type it as ${pattern}, or pick it`);
  const kept = value ? `The date is still ${formatDay(value)}.` : 'No date is set.';
  return (
    <DateInput
      label={label}
      // "" (no date) is null to the picker; a controlled picker needs null, not undefined.
      value={value || null}
      onChange={(v) => {
        // A day picked or typed that the field took answers an earlier refusal.
        setRejected(null);
        onChange(v ?? '');
      }}
      valueFormat={us ? 'MM/DD/YYYY' : 'DD/MM/YYYY'}
      // The practice's order, not dayjs's guess from the computer's language.
      dateParser={(t) => parseTypedDate(t)}
      placeholder={pattern}
      firstDayOfWeek={us ? 0 : 1}
      minDate={allow === 'today-on' ? today : undefined}
      maxDate={allow === 'up-to-today' ? today : undefined}
      // Mantine greys other months' days (2.2:1) and reds weekends (3.3:1),
      // both too faint to read: other months' days are left out, and
      // weekends are in the same ink as weekdays.
      hideOutsideDates
      weekendDays={[]}
      getDayAriaLabel={(d) => formatDay(d)}
      ariaLabels={ariaLabels}
      clearable={clearable}
      clearButtonProps={{ 'aria-label': `Clear ${label.toLowerCase()}` }}
      disabled={disabled}
      size={size}
      w={w}
      description={hint}
      error={error ?? (rejected ? `${rejected} ${kept}` : undefined)}
      data-testid={testId}
      onInput={(e) => {
        setTyped(e.currentTarget.value);
        setRejected(null);
      }}
      onBlur={() => {
        // The picker took only a day it allows; anything else is said here.
        if (typed?.trim()) {
          if (!parsed) setRejected(`“${typed.trim()}” is not a date: type it as ${pattern}.`);
          else if (outside(parsed)) setRejected(outside(parsed));
        }
        setTyped(null);
      }}
    />
  );
}
