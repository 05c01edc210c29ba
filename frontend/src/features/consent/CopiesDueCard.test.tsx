import { describe, expect, it, vi } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import { renderInApp } from '../../test/render';
import type { CopyDue } from '../../api/mail';

let due: CopyDue[] = [];
vi.mock('../../api/mail', async (orig) => ({
  ...(await orig<typeof import('../../api/mail')>()),
  copiesDue: () => Promise.resolve(due),
}));

import { CopiesDueCard } from './CopiesDueCard';

describe('CopiesDueCard', () => {
  it('is hidden when every patient has their copy', async () => {
    due = [];
    const { container } = renderInApp(<CopiesDueCard />);
    await waitFor(() => expect(container.querySelector('[data-testid="copies-due"]')).toBeNull());
  });

  it('lists who is waiting, each with a way to their consent', async () => {
    due = [
      { consentId: 7, patientName: 'Zoë Brontë', signedOn: '8 December 2026', methodLabel: 'Signed on screen' },
      { consentId: 5, patientName: 'Tom Ray', signedOn: '1 December 2026', methodLabel: 'Signed on paper' },
    ];
    renderInApp(<CopiesDueCard />);
    expect(await screen.findByText('2 patients are waiting for their copy of the signed form')).toBeInTheDocument();
    expect(screen.getByText('Zoë Brontë: signed on screen on 8 December 2026')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: "Open Tom Ray's consent" })).toHaveAttribute('href', '#/consents/5');
  });
});
