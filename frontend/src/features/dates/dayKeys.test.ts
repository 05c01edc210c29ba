import { describe, expect, it } from 'vitest';
import { addMonths, dayAfterKey } from './dayKeys';

describe('calendar keys', () => {
  // Thursday 17 December 2026.
  const thu = '2026-12-17';

  it('moves a day, a week, a month and a year', () => {
    expect(dayAfterKey(thu, 'ArrowLeft', false, 1)).toBe('2026-12-16');
    expect(dayAfterKey(thu, 'ArrowRight', false, 1)).toBe('2026-12-18');
    expect(dayAfterKey(thu, 'ArrowUp', false, 1)).toBe('2026-12-10');
    expect(dayAfterKey(thu, 'ArrowDown', false, 1)).toBe('2026-12-24');
    expect(dayAfterKey(thu, 'PageUp', false, 1)).toBe('2026-11-17');
    expect(dayAfterKey(thu, 'PageDown', false, 1)).toBe('2027-01-17');
    expect(dayAfterKey(thu, 'PageUp', true, 1)).toBe('2025-12-17');
    expect(dayAfterKey(thu, 'PageDown', true, 1)).toBe('2027-12-17');
    // Across the end of a month and a year.
    expect(dayAfterKey('2026-12-31', 'ArrowRight', false, 1)).toBe('2027-01-01');
    expect(dayAfterKey('2027-01-03', 'ArrowUp', false, 1)).toBe('2026-12-27');
    expect(dayAfterKey(thu, 'a', false, 1)).toBeNull();
  });

  it('Home and End go to the start and end of the week, Monday to Sunday in the UK and Sunday to Saturday in the US', () => {
    expect(dayAfterKey(thu, 'Home', false, 1)).toBe('2026-12-14');
    expect(dayAfterKey(thu, 'End', false, 1)).toBe('2026-12-20');
    expect(dayAfterKey(thu, 'Home', false, 0)).toBe('2026-12-13');
    expect(dayAfterKey(thu, 'End', false, 0)).toBe('2026-12-19');
    // A Sunday ends the UK week and starts the US one.
    expect(dayAfterKey('2026-12-20', 'Home', false, 1)).toBe('2026-12-14');
    expect(dayAfterKey('2026-12-20', 'End', false, 1)).toBe('2026-12-20');
    expect(dayAfterKey('2026-12-20', 'Home', false, 0)).toBe('2026-12-20');
    expect(dayAfterKey('2026-12-20', 'End', false, 0)).toBe('2026-12-26');
  });

  it('a month on from the 31st is the next month\'s last day, not a day in the month after', () => {
    expect(addMonths('2027-01-31', 1)).toBe('2027-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28');
    expect(addMonths('2028-02-29', 12)).toBe('2029-02-28');
  });
});
