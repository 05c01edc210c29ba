import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { Text, type MantineSize } from '@mantine/core';
import { Calendar, type CalendarLevel } from '@mantine/dates';
import { formatFullDay } from '../../format';
import { addMonths, dayAfterKey, monthOf } from './dayKeys';
import './dates.css';

// The calendar's arrows, named for a screen reader. (Its "April 2026"
// button keeps its visible text as its name.)
const ariaLabels = {
  previousMonth: 'Previous month', nextMonth: 'Next month', previousYear: 'Previous year', nextYear: 'Next year',
  previousDecade: 'Previous decade', nextDecade: 'Next decade',
};

/**
 * The month grid inside PickDateField's date picker dialog, worked by mouse
 * or keyboard as the WAI-ARIA "Date Picker Dialog" pattern has it: one day
 * (the active one) takes the focus; Left/Right move a day, Up/Down a week,
 * PageUp/PageDown a month (Shift: a year), Home/End to the week's first and
 * last day; Enter or Space chooses; Escape closes; Tab goes round the month
 * buttons and the active day and stays in the dialog.
 *
 * Mantine's Calendar draws it (so the mouse works as it always has, its
 * month heading still opens the year and decade lists); the keys are taken
 * here before its own arrow handling, which stops at the edge of the month
 * and skips days it cannot choose. A day the field refuses (refusal(day) is
 * not "") is still focusable, so arrows move over it and a screen reader
 * says it is unavailable (aria-disabled) and why, but it cannot be chosen.
 */
export function DayPicker({ value, start, today, firstDayOfWeek, refusal, why, minDate, maxDate, takeFocus, size, onChoose, onClose }: {
  /** The field's day, shown as chosen; "" for none. */
  value: string;
  /** The day that is active when the dialog opens: the field's, else today. */
  start: string;
  /** Today in the practice's zone: marked in the grid (aria-current="date"). */
  today: string;
  firstDayOfWeek: 0 | 1;
  refusal: (day: string) => string;
  /** One line under the grid saying which days cannot be chosen, or "". */
  why: string;
  minDate?: string;
  maxDate?: string;
  /** Opened from the keyboard (the calendar button): the active day takes the focus. */
  takeFocus: boolean;
  size?: MantineSize;
  onChoose: (day: string) => void;
  onClose: () => void;
}) {
  const [active, setActive] = useState(start);
  const [month, setMonth] = useState(monthOf(start));
  const [level, setLevel] = useState<CalendarLevel>('month');
  const box = useRef<HTMLDivElement>(null);
  // Set when the next render should put the focus on the active day: on
  // opening from the keyboard, after a key moved it, back from the year list.
  const focusActive = useRef(takeFocus);
  const headingId = useId();
  const whyId = useId();

  // A day typed in the field while the calendar is open is the one it shows.
  useEffect(() => {
    if (!value) return;
    setActive(value);
    setMonth(monthOf(value));
  }, [value]);

  useEffect(() => {
    if (!focusActive.current || level !== 'month') return;
    focusActive.current = false;
    box.current?.querySelector<HTMLElement>(`[data-date="${active}"]`)?.focus({ preventScroll: true });
  }, [active, month, level]);

  const onKeyDownCapture = (e: KeyboardEvent<HTMLDivElement>) => {
    // Taken here, before Mantine's handlers on the day buttons and before
    // a dialog's focus trap under us sees Tab at the document.
    const stop = () => { e.preventDefault(); e.stopPropagation(); };
    if (e.key === 'Escape') {
      stop();
      onClose();
      return;
    }
    if (e.key === 'Tab') {
      stop();
      // The month buttons that can be used, then the active day.
      const stops = [...(box.current?.querySelectorAll<HTMLButtonElement>('button') ?? [])]
        .filter((b) => !b.disabled && (b.dataset.date ? b.dataset.date === active : b.tabIndex >= 0));
      if (!stops.length) return;
      const at = stops.indexOf(document.activeElement as HTMLButtonElement);
      const next = at < 0 ? 0 : (at + (e.shiftKey ? -1 : 1) + stops.length) % stops.length;
      stops[next].focus();
      return;
    }
    const day = (e.target as HTMLElement).dataset?.date;
    if (!day || level !== 'month' || e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.key === 'Enter' || e.key === ' ') {
      stop();
      if (!refusal(day)) onChoose(day);
      return;
    }
    const next = dayAfterKey(day, e.key, e.shiftKey, firstDayOfWeek);
    if (!next) return;
    stop();
    focusActive.current = true;
    setActive(next);
    setMonth(monthOf(next));
  };

  return (
    <div ref={box} onKeyDownCapture={onKeyDownCapture}
      // Space clicks a button when it is let go: the day was chosen as it went down.
      onKeyUpCapture={(e) => { if (e.key === ' ' && (e.target as HTMLElement).dataset?.date) e.preventDefault(); }}>
      <Calendar
        date={month}
        onDateChange={(d) => {
          // The month buttons: the active day follows into the month shown.
          const diff = (Number(d.slice(0, 4)) - Number(month.slice(0, 4))) * 12 + Number(d.slice(5, 7)) - Number(month.slice(5, 7));
          setMonth(monthOf(d));
          if (diff) setActive((a) => addMonths(a, diff));
        }}
        level={level}
        onLevelChange={(l) => {
          setLevel(l);
          // A month picked from the year list: back to its days, from the keyboard too.
          if (l === 'month' && takeFocus) focusActive.current = true;
        }}
        firstDayOfWeek={firstDayOfWeek}
        // Keeps the previous/next month buttons greyed where the whole month
        // is refused, as before; the days themselves are refused below.
        minDate={minDate}
        maxDate={maxDate}
        // Mantine greys other months' days (2.2:1) and reds weekends (3.3:1),
        // both too faint to read: other months' days are left out, and
        // weekends are in the same ink as weekdays.
        hideOutsideDates
        weekendDays={[]}
        size={size}
        ariaLabels={ariaLabels}
        getDayAriaLabel={(d) => formatFullDay(d)}
        // Escape on a day or month button closes this calendar, not the
        // dialog it was opened from (Mantine's modal reads this mark).
        __stopPropagation
        attributes={{
          // The heading names the grid and is read out as the month changes.
          calendarHeaderLevel: { id: headingId, 'aria-live': 'polite' },
          month: { role: 'grid', 'aria-labelledby': headingId },
        }}
        getDayProps={(d) => {
          const refused = refusal(d);
          return {
            selected: d === value,
            'aria-current': d === today ? 'date' : undefined,
            'data-today': d === today || undefined,
            // Focusable, so arrows cross it and a screen reader reads it.
            disabled: false,
            'aria-disabled': refused ? true : undefined,
            'aria-describedby': refused && why ? whyId : undefined,
            'data-refused': refused ? true : undefined,
            title: refused || undefined,
            'data-date': d,
            onClick: () => { if (!refused) onChoose(d); },
          };
        }}
      />
      {why && <Text id={whyId} size="xs" c="dimmed" mt={6} maw={260}>{why}</Text>}
    </div>
  );
}
