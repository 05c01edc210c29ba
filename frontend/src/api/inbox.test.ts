import { describe, expect, it, vi } from 'vitest';

vi.mock('../../wailsjs/go/service/InboxService', () => ({}));
vi.stubEnv('TZ', 'UTC');

import { practiceDate } from './inbox';

describe('practiceDate', () => {
  it('writes dates the way the practice does', () => {
    expect(practiceDate('2026-12-06T14:05:00Z', 'GB')).toBe('6 Dec 2026, 14:05');
    expect(practiceDate('2026-12-06T09:05:00Z', 'GB')).toBe('6 Dec 2026, 09:05');
    expect(practiceDate('2026-12-06T14:05:00Z', 'US')).toMatch(/^Dec 6, 2026, 2:05\sPM$/);
  });
  it('shows nothing for Go\'s zero time or junk', () => {
    expect(practiceDate('0001-01-01T00:00:00Z', 'GB')).toBe('');
    expect(practiceDate('not a date', 'US')).toBe('');
    expect(practiceDate(null, 'GB')).toBe('');
  });
});
