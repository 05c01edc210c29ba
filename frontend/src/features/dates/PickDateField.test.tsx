import { afterEach, describe, expect, it, vi } from 'vitest';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MantineProvider } from '@mantine/core';
import { PickDateField } from './PickDateField';
import { setPracticeCountry } from '../../format';

function open(onChange: (v: string) => void, value = '', clearable = false) {
  render(<MantineProvider><PickDateField label="Withdrawal date" value={value} onChange={onChange} clearable={clearable} /></MantineProvider>);
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
        const th = document.querySelectorAll('.mantine-DateInput-weekday');
        expect(th.length).toBe(7);
        return th;
      });
      expect(days[0].textContent).toBe(first);
      // Each day is named in the practice's format for a screen reader.
      expect(screen.getByLabelText(country === 'US' ? 'Dec 6, 2026' : '6 Dec 2026')).toBeTruthy();
      unmount();
    }
  });

  it('changes nothing for text that is not a date, and says so when the user leaves the field', async () => {
    setPracticeCountry('GB');
    const onChange = vi.fn();
    const input = open(onChange, '2026-12-06');
    await userEvent.clear(input);
    await userEvent.type(input, '31/02/2027');
    expect(screen.getByText('Not a date yet: type it as DD/MM/YYYY')).toBeTruthy();
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
});
