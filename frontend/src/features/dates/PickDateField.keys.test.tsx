import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useState } from 'react';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MantineProvider, Modal } from '@mantine/core';
import { PickDateField } from './PickDateField';
import { formatFullDay, setPracticeCountry } from '../../format';

// The calendar from the keyboard alone (WAI-ARIA date picker dialog), on
// Thursday 17 December 2026.
//
// jsdom lays nothing out, so Mantine's popover, waiting for a position, may
// still be display:none when asked: the dialog and grid are found with
// hidden: true (the e2e test opens the real one in a browser).

function Field({ start, onChange, allow }: { start: string; onChange: (v: string) => void; allow?: 'today-on' | 'up-to-today' }) {
  const [v, setV] = useState(start);
  return <PickDateField label="Day" value={v} onChange={(x) => { onChange(x); setV(x); }} allow={allow} />;
}

function setup(start: string, allow?: 'today-on' | 'up-to-today') {
  const onChange = vi.fn();
  render(<MantineProvider><button type="button">Before</button><Field start={start} onChange={onChange} allow={allow} /></MantineProvider>);
  return { onChange, input: screen.getByLabelText('Day') as HTMLInputElement };
}

/** Tabs from the button before the field to the field, then to its calendar button, and opens it with Enter. */
async function openByKeys() {
  screen.getByRole('button', { name: 'Before' }).focus();
  await userEvent.tab();
  expect(document.activeElement).toBe(screen.getByLabelText('Day'));
  await userEvent.tab();
  const button = screen.getByRole('button', { name: 'Pick from a calendar', description: 'Day' });
  expect(document.activeElement).toBe(button);
  await userEvent.keyboard('{Enter}');
  const dialog = await screen.findByRole('dialog', { name: 'Calendar', description: 'Day', hidden: true });
  expect(dialog).toHaveAttribute('aria-modal', 'true');
  return { button, dialog };
}

/** The day that has the focus: its accessible name. */
function focused(): string {
  return document.activeElement?.getAttribute('aria-label') ?? `(${document.activeElement?.tagName} ${document.activeElement?.textContent})`;
}

async function press(keys: string, day: string) {
  await userEvent.keyboard(keys);
  await waitFor(() => expect(focused()).toBe(formatFullDay(day)));
}

describe('PickDateField from the keyboard', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date(2026, 11, 17, 12, 0));
  });
  afterEach(() => {
    vi.useRealTimers();
    setPracticeCountry('GB');
  });

  it('UK: opens on the field\'s day, moves by day, week, month, year and Monday-to-Sunday week, and Enter fills the field day-first', async () => {
    setPracticeCountry('GB');
    const { onChange, input } = setup('2026-12-19');
    const { button, dialog } = await openByKeys();
    await waitFor(() => expect(focused()).toBe('Saturday 19 December 2026'));
    // The grid is named by the month heading, which is read out as it changes.
    const grid = screen.getByRole('grid', { hidden: true });
    const heading = document.getElementById(grid.getAttribute('aria-labelledby') ?? '');
    expect(heading).toHaveTextContent('December 2026');
    expect(heading).toHaveAttribute('aria-live', 'polite');

    await press('{ArrowRight}', '2026-12-20');
    await press('{ArrowDown}', '2026-12-27');
    await press('{ArrowUp}', '2026-12-20');
    await press('{Home}', '2026-12-14');
    await press('{End}', '2026-12-20');
    await press('{ArrowLeft}', '2026-12-19');
    await press('{PageDown}', '2027-01-19');
    expect(heading).toHaveTextContent('January 2027');
    await press('{PageUp}', '2026-12-19');
    await press('{Shift>}{PageDown}{/Shift}', '2027-12-19');
    expect(heading).toHaveTextContent('December 2027');
    await press('{Shift>}{PageUp}{/Shift}', '2026-12-19');
    // Across the month's end into the next.
    await press('{ArrowDown}{ArrowDown}', '2027-01-02');
    expect(heading).toHaveTextContent('January 2027');
    expect(onChange).not.toHaveBeenCalled();

    await userEvent.keyboard('{Enter}');
    expect(onChange).toHaveBeenLastCalledWith('2027-01-02');
    expect(input.value).toBe('02/01/2027');
    await waitFor(() => expect(dialog).not.toBeInTheDocument());
    expect(document.activeElement).toBe(button);
  });

  it('US: the week runs Sunday to Saturday and Space fills the field month-first', async () => {
    setPracticeCountry('US');
    const { onChange, input } = setup('');
    const { button } = await openByKeys();
    // No day yet: today has the focus, and is the one day marked as today.
    await waitFor(() => expect(focused()).toBe('Thursday, December 17, 2026'));
    const marked = [...document.querySelectorAll('[aria-current="date"]')];
    expect(marked.map((d) => d.getAttribute('aria-label'))).toEqual(['Thursday, December 17, 2026']);
    await press('{Home}', '2026-12-13');
    await press('{End}', '2026-12-19');
    await press('{ArrowRight}', '2026-12-20');
    await userEvent.keyboard(' ');
    expect(onChange).toHaveBeenLastCalledWith('2026-12-20');
    expect(input.value).toBe('12/20/2026');
    await waitFor(() => expect(screen.queryByRole('dialog', { hidden: true })).toBeNull());
    expect(document.activeElement).toBe(button);
  });

  it('a schedule\'s past days are crossed by the arrows, marked unavailable with the reason, and cannot be chosen', async () => {
    setPracticeCountry('GB');
    const { onChange, input } = setup('', 'today-on');
    await openByKeys();
    await waitFor(() => expect(focused()).toBe('Thursday 17 December 2026'));
    await press('{ArrowLeft}', '2026-12-16');
    const past = document.activeElement as HTMLElement;
    expect(past).toHaveAttribute('aria-disabled', 'true');
    expect(past).toHaveAccessibleDescription('Days before today cannot be chosen: a post cannot go out on a day that has passed.');
    await userEvent.keyboard('{Enter}');
    await userEvent.keyboard(' ');
    expect(onChange).not.toHaveBeenCalled();
    expect(screen.getByRole('dialog', { hidden: true })).toBeInTheDocument();
    // Over a week of refused days and back to a day that can be chosen.
    await press('{ArrowUp}', '2026-12-09');
    await press('{ArrowDown}{ArrowDown}', '2026-12-23');
    expect(document.activeElement).not.toHaveAttribute('aria-disabled');
    await userEvent.keyboard('{Enter}');
    expect(onChange).toHaveBeenLastCalledWith('2026-12-23');
    expect(input.value).toBe('23/12/2026');
  });

  it('the day a form was signed: tomorrow is unavailable', async () => {
    setPracticeCountry('GB');
    const { onChange } = setup('', 'up-to-today');
    await openByKeys();
    await waitFor(() => expect(focused()).toBe('Thursday 17 December 2026'));
    await press('{ArrowRight}', '2026-12-18');
    expect(document.activeElement).toHaveAttribute('aria-disabled', 'true');
    expect(document.activeElement).toHaveAccessibleDescription(/Days after today cannot be chosen/);
    await userEvent.keyboard('{Enter}');
    expect(onChange).not.toHaveBeenCalled();
    await press('{ArrowLeft}', '2026-12-17');
    await userEvent.keyboard('{Enter}');
    expect(onChange).toHaveBeenLastCalledWith('2026-12-17');
  });

  it('Escape closes without changing anything and gives the focus back to the calendar button', async () => {
    setPracticeCountry('GB');
    const { onChange, input } = setup('2026-12-19');
    const { button, dialog } = await openByKeys();
    await press('{ArrowRight}{ArrowRight}', '2026-12-21');
    await userEvent.keyboard('{Escape}');
    await waitFor(() => expect(dialog).not.toBeInTheDocument());
    expect(onChange).not.toHaveBeenCalled();
    expect(input.value).toBe('19/12/2026');
    expect(document.activeElement).toBe(button);
  });

  it('Tab goes round the month buttons and the active day, inside the dialog', async () => {
    setPracticeCountry('GB');
    setup('2026-12-19');
    const { dialog } = await openByKeys();
    await waitFor(() => expect(focused()).toBe('Saturday 19 December 2026'));
    const names: string[] = [];
    for (let i = 0; i < 4; i++) {
      await userEvent.tab();
      expect(dialog).toContainElement(document.activeElement as HTMLElement);
      names.push(document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent ?? '');
    }
    expect(names).toEqual(['Previous month', 'December 2026', 'Next month', 'Saturday 19 December 2026']);
    await userEvent.tab({ shift: true });
    expect(document.activeElement).toHaveAccessibleName('Next month');
    // The month buttons move the month; the active day follows into it.
    await userEvent.keyboard('{Enter}');
    expect(screen.getByRole('grid', { hidden: true })).toHaveAccessibleName('January 2027');
    await userEvent.tab();
    expect(focused()).toBe('Tuesday 19 January 2027');
  });

  it('Escape in a calendar opened inside a dialog closes the calendar, not the dialog', async () => {
    setPracticeCountry('GB');
    const onClose = vi.fn();
    render(
      <MantineProvider>
        <Modal opened onClose={onClose} title="New time">
          <Field start="2026-12-19" onChange={() => undefined} />
        </Modal>
      </MantineProvider>,
    );
    const button = await screen.findByRole('button', { name: 'Pick from a calendar', description: 'Day' });
    button.focus();
    await userEvent.keyboard('{Enter}');
    await waitFor(() => expect(focused()).toBe('Saturday 19 December 2026'));
    await userEvent.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Calendar', description: 'Day', hidden: true })).toBeNull());
    expect(onClose).not.toHaveBeenCalled();
    expect(document.activeElement).toBe(button);
  });
});
