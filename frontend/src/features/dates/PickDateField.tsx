import { useId, useRef, useState } from 'react';
import { ActionIcon, CloseButton, Group, Popover, TextInput, type MantineSize } from '@mantine/core';
import { IconCalendar } from '@tabler/icons-react';
import { dayIn, formatDay, parseTypedDate, practiceCountry, typedDatePattern } from '../../format';
import { formatTyped } from './DateField';
import { DayPicker } from './DayPicker';

/**
 * A day typed in the practice's order or picked from a calendar: a UK
 * practice sees and types 06/12/2026, a US one 12/06/2026, whatever the
 * computer's language (a native date field follows the computer, so a
 * day-first date typed on a month-first computer became another day).
 * value and onChange carry "YYYY-MM-DD", or "" for no date.
 *
 * Clicking the field opens the calendar under it without taking the focus,
 * so the mouse picks and the typing goes on; Escape or leaving the field
 * closes it. The calendar button beside the field opens the same calendar
 * as a date picker dialog the keyboard works (DayPicker): the focus goes to
 * the field's day (or today's), Enter chooses, Escape closes, and either
 * way the focus comes back to the button. Text that is not a date changes
 * nothing: the field goes back to the date it had and says why, rather than
 * leaving the user to guess.
 *
 * allow="today-on" (a schedule) and "up-to-today" (the day a form was
 * signed) refuse the other side of today: the calendar shows those days as
 * unavailable, and a day typed there is refused the same way: a post cannot
 * go out yesterday and a patient cannot have signed tomorrow. Today is
 * zone's (the practice's).
 *
 * A text field and a popover of its own rather than Mantine's DateInput:
 * DateInput's calendar opens and closes with the field's focus and keeps its
 * days out of reach of the focus, so it could not be the keyboard's dialog.
 * The typing rules it had (a day is taken once typed whole and allowed; the
 * text goes back to the day on leaving) are kept here.
 */
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
  // Open from a click on the field (the focus stays in it) or from the
  // calendar button (the focus goes into the calendar); null when closed.
  const [open, setOpen] = useState<null | 'mouse' | 'keys'>(null);
  const button = useRef<HTMLButtonElement>(null);
  const inputId = useId();
  // Mantine's id for the field's label: the calendar button and dialog are described by it.
  const labelId = `${inputId}-label`;
  const today = dayIn(zone);
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
  const take = (iso: string) => {
    // A day picked or typed that the field took answers an earlier refusal.
    setRejected(null);
    onChange(iso);
  };
  const close = () => {
    const from = open;
    setOpen(null);
    // Back where the keyboard user opened it from; a mouse user's focus never left the field.
    if (from === 'keys') button.current?.focus();
  };
  const showClear = clearable && !!value && !disabled;
  const iconSize = size === 'xs' ? 14 : 18;
  return (
    <Popover opened={open !== null} onDismiss={() => setOpen(null)} position="bottom-start" shadow="md"
      closeOnEscape={false} trapFocus={false} returnFocus={false} withRoles={false} disabled={disabled}>
      <Popover.Target>
        <TextInput
          id={inputId}
          label={label}
          value={typed ?? (value ? formatTyped(value) : '')}
          placeholder={pattern}
          autoComplete="off"
          disabled={disabled}
          size={size}
          w={w}
          description={hint}
          error={error ?? (rejected ? `${rejected} ${kept}` : undefined)}
          data-testid={testId}
          rightSectionWidth={showClear ? 2 * (iconSize + 12) : iconSize + 16}
          rightSectionPointerEvents="all"
          rightSection={
            <Group gap={2} wrap="nowrap">
              {showClear && (
                <CloseButton size={size === 'xs' ? 'sm' : 'md'} aria-label={`Clear ${label.toLowerCase()}`}
                  onClick={() => { setTyped(null); take(''); }} />
              )}
              <ActionIcon ref={button} variant="subtle" size={size === 'xs' ? 'sm' : 'md'} disabled={disabled}
                // Named without the field's label, which describes it instead:
                // "Pick from a calendar, button, Day". A name holding the label
                // would make the field's label name two controls.
                aria-label="Pick from a calendar" aria-describedby={labelId} aria-haspopup="dialog" aria-expanded={open === 'keys'}
                data-testid={testId ? `${testId}-calendar` : undefined}
                onClick={() => setOpen(open === 'keys' ? null : 'keys')}>
                <IconCalendar size={iconSize} stroke={1.7} />
              </ActionIcon>
            </Group>
          }
          onClick={() => setOpen('mouse')}
          onKeyDown={(e) => {
            if (e.key === 'Escape' && open) {
              // Closes the calendar only, not a dialog the field is in.
              e.stopPropagation();
              setOpen(null);
            }
          }}
          onChange={(e) => {
            const t = e.currentTarget.value;
            setTyped(t);
            setRejected(null);
            if (!t.trim()) {
              if (clearable) take('');
              return;
            }
            // The field takes a day only once it is a date it allows; anything else is said on leaving.
            const p = parseTypedDate(t);
            if (p && !outside(p)) take(p);
          }}
          onBlur={() => {
            if (typed?.trim()) {
              if (!parsed) setRejected(`“${typed.trim()}” is not a date: type it as ${pattern}.`);
              else if (outside(parsed)) setRejected(outside(parsed));
            }
            setTyped(null);
            if (open === 'mouse') setOpen(null);
          }}
        />
      </Popover.Target>
      {/* A dialog, modal while open from the keyboard as the date picker
          pattern has it; a click keeps the focus where it is. */}
      <Popover.Dropdown role="dialog" aria-modal="true" aria-label="Calendar" aria-describedby={labelId} data-testid={testId ? `${testId}-picker` : undefined}
        onMouseDown={(e) => e.preventDefault()}>
        <DayPicker
          value={value}
          start={value || today}
          today={today}
          firstDayOfWeek={us ? 0 : 1}
          refusal={(d) => (allow ? outside(d) : '')}
          why={allow === 'today-on' ? 'Days before today cannot be chosen: a post cannot go out on a day that has passed.'
            : allow === 'up-to-today' ? 'Days after today cannot be chosen: a form cannot have been signed on a later day.' : ''}
          minDate={allow === 'today-on' ? today : undefined}
          maxDate={allow === 'up-to-today' ? today : undefined}
          takeFocus={open === 'keys'}
          size={size}
          onChoose={(d) => { setTyped(null); take(d); close(); }}
          onClose={close}
        />
      </Popover.Dropdown>
    </Popover>
  );
}
