import { describe, expect, it, vi } from 'vitest';
import { render, screen, within } from '@testing-library/react';
import { MantineProvider } from '@mantine/core';
import type { ExpiryWarning } from '../../api/types';

const api = vi.hoisted(() => ({ expiringConsents: vi.fn() }));
vi.mock('../../api/consent', () => ({ expiringConsents: api.expiringConsents }));

import { ExpiringCard, postsLine } from './ExpiringCard';

const warning = (over: Partial<ExpiryWarning>): ExpiryWarning => ({
  consentId: 1, patientId: 1, expiresAt: '2026-12-20T23:59:59Z', daysLeft: 18, message: 'Consent #1 ends on 20 December.', scheduled: 0, live: 0, ...over,
});

describe('ExpiringCard', () => {
  it('says which posts rely on each consent and why that matters', async () => {
    api.expiringConsents.mockResolvedValue([
      warning({ consentId: 7, message: 'Consent #7 ends on 10 December.', scheduled: 2, live: 1 }),
      warning({ consentId: 8, message: 'Consent #8 ends on 19 December.' }),
    ]);
    render(<MantineProvider><ExpiringCard /></MantineProvider>);
    const card = await screen.findByTestId('expiring-card');
    expect(within(card).getByText('2 consents end soon')).toBeTruthy();
    expect(within(card).getByText(/blocked once it ends/)).toBeTruthy();
    const badges = within(card).getAllByTestId('expiring-posts');
    expect(badges).toHaveLength(1);
    expect(badges[0].textContent).toBe('2 scheduled posts, 1 live post');
  });

  it('writes one post, or nothing, plainly', () => {
    expect(postsLine(warning({ scheduled: 1 }))).toBe('1 scheduled post');
    expect(postsLine(warning({ live: 3 }))).toBe('3 live posts');
    expect(postsLine(warning({}))).toBe('');
  });
});
