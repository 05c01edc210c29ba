import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useState } from 'react';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MantineProvider } from '@mantine/core';
import { PickDateField } from './PickDateField';
import { dayIn, formatDay, formatFullDay, setPracticeCountry } from '../../format';

function open(onChange: (v: string) => void, value = '', clearable = false, allow?: 'today-on' | 'up-to-today') {
  render(<MantineProvider><PickDateField label="Withdrawal date" value={value} onChange={onChange} clearable={clearable} allow={allow} /></MantineProvider>);
  return screen.getByLabelText('Withdrawal date') as HTMLInputElement;
}

describe('PickDateField', () => {
  afterEach(() => setPracticeCountry('GB'));

  it('shows and reads a date day-first for a UK practice', async () => {
    setPracticeCountry('GB');
    const onChange = vi.fn();
    const input = open(onChange, '2026-12-06');
    expect(input.value).toBe('06/12/2026');
    expect(input.getAttribute('placeholder')).toBe('DD/MM/YYYY');
    await userEvent.clear(input);
    await userEvent.type(input, '09/04/2027');
    expect(onChange).toHaveBeenLastCalledWith('2027-04-09');
    expect(screen.getByText('Read as 9 Apr 2027')).toBeTruthy();
  });

  it('shows and reads the same keys month-first for a US practice', async () => {
    setPracticeCountry('US');
    const onChange = vi.fn();
    const input = open(onChange, '2026-12-06');
    expect(input.value).toBe('12/06/2026');
    expect(input.getAttribute('placeholder')).toBe('MM/DD/YYYY');
    await userEvent.clear(input);
    await userEvent.type(input, '09/04/2027');
    expect(onChange).toHaveBeenLastCalledWith('2027-09-04');
    expect(screen.getByText('Read as Sep 4, 2027')).toBeTruthy();
  });

  it('opens a calendar that starts the week on Monday in the UK and Sunday in the US', async () => {
    for (const [country, first] of [['GB', 'Mo'], ['US', 'Su']] as const) {
      setPracticeCountry(country);
      const { unmount } = render(<MantineProvider><PickDateField label="From" value="2026-12-06" onChange={() => undefined} /></MantineProvider>);
      await userEvent.click(screen.getByLabelText('From'));
      // The weekday headings of the calendar that opened under the field.
      const days = await waitFor(() => {
        const th = document.querySelectorAll('.mantine-Calendar-weekday');
        expect(th.length).toBe(7);
        return th;
      });
      expect(days[0].textContent).toBe(first);
      // Each day is named in full, in the practice's format, for a screen reader.
      expect(screen.getByLabelText(country === 'US' ? 'Sunday, December 6, 2026' : 'Sunday 6 December 2026')).toBeTruthy();
      unmount();
    }
  });

  it('changes nothing for text that is not a date, and says so when the user leaves the field', async () => {
    setPracticeCountry('GB');
    const onChange = vi.fn();
    const input = open(onChange, '2026-12-06');
    await userEvent.clear(input);
    await userEvent.type(input, '31/02/2027');
    expect(screen.getByText('Not a date yet (DD/MM/YYYY)')).toBeTruthy();
    await userEvent.tab();
    expect(onChange).not.toHaveBeenCalled();
    expect(input.value).toBe('06/12/2026');
    expect(screen.getByText('“31/02/2027” is not a date: type it as DD/MM/YYYY. The date is still 6 Dec 2026.')).toBeTruthy();
    // Typing again takes the message away.
    await userEvent.type(input, '1');
    expect(screen.queryByText(/is not a date/)).toBeNull();
  });

  it('a clearable field empties to no date', async () => {
    setPracticeCountry('GB');
    const onChange = vi.fn();
    const input = open(onChange, '2026-12-06', true);
    await userEvent.clear(input);
    expect(onChange).toHaveBeenLastCalledWith('');
  });

  it('takes a day picked in the calendar and shows it in the practice\'s order', async () => {
    for (const [country, shown] of [['GB', '09/12/2026'], ['US', '12/09/2026']] as const) {
      setPracticeCountry(country);
      const onChange = vi.fn();
      function Kept() {
        const [v, setV] = useState('2026-12-06');
        return <PickDateField label="Day" value={v} onChange={(x) => { onChange(x); setV(x); }} />;
      }
      render(<MantineProvider><Kept /></MantineProvider>);
      const input = screen.getByLabelText('Day') as HTMLInputElement;
      await userEvent.click(input);
      await userEvent.click(await screen.findByLabelText(country === 'US' ? 'Wednesday, December 9, 2026' : 'Wednesday 9 December 2026'));
      expect(onChange).toHaveBeenLastCalledWith('2026-12-09');
      expect(input.value).toBe(shown);
      // A click opens the calendar under the field and leaves the typing caret
      // there; the day picked closes it.
      expect(document.activeElement).toBe(input);
      await waitFor(() => expect(screen.queryByRole('dialog', { hidden: true })).toBeNull());
      cleanup();
    }
  });

  describe('on 17 Dec 2026', () => {
    // Only Date is faked: "today" is fixed, the user's typing still runs on real timers.
    beforeEach(() => {
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(new Date(2026, 11, 17, 12, 0));
    });
    afterEach(() => vi.useRealTimers());

    it('a schedule refuses a past day, typed or picked, and keeps the day it had', async () => {
      for (const country of ['GB', 'US'] as const) {
        setPracticeCountry(country);
        const onChange = vi.fn();
        const input = open(onChange, '2026-12-19', false, 'today-on');
        await userEvent.clear(input);
        await userEvent.type(input, country === 'US' ? '12/14/2026' : '14/12/2026');
        expect(screen.getByText(`${formatDay('2026-12-14')} has already passed`)).toBeTruthy();
        await userEvent.tab();
        expect(onChange).not.toHaveBeenCalled();
        expect(input.value).toBe(country === 'US' ? '12/19/2026' : '19/12/2026');
        expect(screen.getByText(`${formatDay('2026-12-14')} has already passed: choose today or a later day. The date is still ${formatDay('2026-12-19')}.`)).toBeTruthy();
        // In the calendar a past day cannot be picked; today can.
        await userEvent.click(input);
        const past = await screen.findByLabelText(formatFullDay('2026-12-14'));
        expect(past).toHaveAttribute('aria-disabled', 'true');
        await userEvent.click(past);
        expect(onChange).not.toHaveBeenCalled();
        await userEvent.click(screen.getByLabelText(formatFullDay('2026-12-17')));
        expect(onChange).toHaveBeenLastCalledWith('2026-12-17');
        // Picking a day the field takes clears the refusal.
        expect(screen.queryByText(/has already passed/)).toBeNull();
        // A later day typed is taken.
        await userEvent.clear(input);
        await userEvent.type(input, country === 'US' ? '01/04/2027' : '04/01/2027');
        expect(onChange).toHaveBeenLastCalledWith('2027-01-04');
        cleanup();
      }
    });

    it('the day a form was signed cannot be after today', async () => {
      setPracticeCountry('GB');
      const onChange = vi.fn();
      const input = open(onChange, '', false, 'up-to-today');
      await userEvent.type(input, '18/12/2026');
      await userEvent.tab();
      expect(onChange).not.toHaveBeenCalled();
      expect(input.value).toBe('');
      expect(screen.getByText('18 Dec 2026 is after today: choose today or an earlier day. No date is set.')).toBeTruthy();
      await userEvent.type(input, '17/12/2026');
      expect(onChange).toHaveBeenLastCalledWith('2026-12-17');
    });

    it('today is the practice\'s: late on 17 Dec in London is already 18 Dec in Sydney', async () => {
      vi.setSystemTime(new Date(Date.UTC(2026, 11, 17, 22, 0)));
      expect(dayIn('Europe/London')).toBe('2026-12-17');
      expect(dayIn('Australia/Sydney')).toBe('2026-12-18');
      expect(dayIn('Europe/London', 1)).toBe('2026-12-18');
      // A zone this computer does not know falls back to its own day.
      expect(dayIn('Not/AZone')).toMatch(/^2026-12-1[78]$/);
    });
  });
});
