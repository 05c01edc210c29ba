import { afterEach, describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MantineProvider } from '@mantine/core';
import { DateField } from './DateField';
import { setPracticeCountry } from '../../format';

function open(onChange: (v: string) => void, value = '') {
  render(<MantineProvider><DateField label="Date of birth" value={value} onChange={onChange} /></MantineProvider>);
  return screen.getByLabelText('Date of birth');
}

describe('DateField', () => {
  afterEach(() => setPracticeCountry('GB'));

  it('stores the day a UK manager meant, whatever the computer language', async () => {
    setPracticeCountry('GB');
    const onChange = vi.fn();
    const input = open(onChange);
    expect(input.getAttribute('placeholder')).toBe('DD/MM/YYYY');
    await userEvent.type(input, '09/04/1951');
    expect(onChange).toHaveBeenLastCalledWith('1951-04-09');
    expect(screen.getByText('Read as 9 Apr 1951')).toBeTruthy();
  });

  it('reads the same keys month-first for a US practice', async () => {
    setPracticeCountry('US');
    const onChange = vi.fn();
    await userEvent.type(open(onChange), '09/04/1951');
    expect(onChange).toHaveBeenLastCalledWith('1951-09-04');
    expect(screen.getByText('Read as Sep 4, 1951')).toBeTruthy();
  });

  it('passes on text that is not a date, and shows a stored date in the practice order', async () => {
    setPracticeCountry('GB');
    const onChange = vi.fn();
    await userEvent.type(open(onChange), '31/02/1990');
    expect(onChange).toHaveBeenLastCalledWith('31/02/1990');
    expect(screen.getByText('Not a date yet: type it as DD/MM/YYYY')).toBeTruthy();
  });

  it('shows a stored date day-first', () => {
    setPracticeCountry('GB');
    expect((open(() => undefined, '1968-03-14') as HTMLInputElement).value).toBe('14/03/1968');
  });
});
