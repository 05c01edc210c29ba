import { describe, expect, it, vi, beforeEach } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInApp } from '../../test/render';
import type { HoldView } from '../../api/mail';

const hold: HoldView = {
  consentId: 3, patientId: 1, patientName: 'Zoë Brontë', since: '2026-12-06T09:00:00Z', sinceText: '6 December 2026 09:00',
  reason: 'The patient replied by email in words that read as a withdrawal.', replyId: 9, words: 'Please take my photo down', channels: 'Facebook',
};
let holds: HoldView[] = [];
const calls: string[] = [];
vi.mock('../../api/mail', async (orig) => ({
  ...(await orig<typeof import('../../api/mail')>()),
  consentHolds: () => Promise.resolve(holds.slice()),
  confirmWithdrawal: (id: number) => {
    calls.push(`withdraw ${id}`);
    holds = [];
    return Promise.resolve({ consent: { id, status: 'revoked', statusText: '' }, inWritingRequired: false, takedown: [] });
  },
  releaseHold: (id: number, note: string) => {
    calls.push(`release ${id} ${note}`);
    holds = [];
    return Promise.resolve(hold);
  },
}));
vi.mock('../../api/system', () => ({ onEvent: () => () => undefined }));

import { WithdrawalHolds } from './WithdrawalHolds';

function renderCard() {
  return renderInApp(<WithdrawalHolds />);
}

describe('WithdrawalHolds', () => {
  beforeEach(() => {
    calls.length = 0;
    holds = [hold];
  });

  it('is hidden when nothing is on hold', async () => {
    holds = [];
    const { container } = renderCard();
    await waitFor(() => expect(container.querySelector('[data-testid="withdrawal-holds"]')).toBeNull());
  });

  it('shows the patient and their words, and confirms the withdrawal', async () => {
    renderCard();
    expect(await screen.findByTestId('withdrawal-holds')).toHaveTextContent('Please take my photo down');
    await userEvent.click(screen.getByRole('button', { name: 'Confirm withdrawal' }));
    expect(calls).toEqual([]); // nothing until the manager confirms in the dialog
    await userEvent.click(await screen.findByRole('button', { name: 'Record the withdrawal' }));
    await waitFor(() => expect(calls).toEqual(['withdraw 3']));
    await waitFor(() => expect(screen.queryByTestId('withdrawal-holds')).toBeNull());
  });

  it('releases only with a note', async () => {
    renderCard();
    await screen.findByTestId('withdrawal-holds');
    await userEvent.click(screen.getByRole('button', { name: 'Release hold' }));
    const dialog = await screen.findByRole('dialog');
    const release = Array.from(dialog.querySelectorAll('button')).find((b) => b.textContent === 'Release hold')!;
    expect(release).toBeDisabled();
    await userEvent.type(screen.getByLabelText('Why the hold can be released'), 'She meant the noticeboard');
    await userEvent.click(release);
    await waitFor(() => expect(calls).toEqual(['release 3 She meant the noticeboard']));
  });
});
