import { describe, expect, it, vi } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInApp } from '../../test/render';
import type { MailStatus } from '../../api/mail';

let status: MailStatus;
vi.mock('../../api/mail', async (orig) => ({
  ...(await orig<typeof import('../../api/mail')>()),
  mailStatus: () => Promise.resolve(status),
}));
vi.mock('../../api/system', () => ({ onEvent: () => () => undefined }));

import { MailboxTrouble } from './MailboxTrouble';

const base: MailStatus = { configured: true, watching: true, usingIdle: true, address: 'hello@harbour.example', lastSync: '2026-12-08T09:00:00Z', lastError: '', note: '', pending: 0 };

describe('MailboxTrouble', () => {
  it('stays hidden while the mailbox is read, and without a mailbox', async () => {
    for (const s of [base, { ...base, configured: false, lastError: 'x' }]) {
      status = s;
      const { container, unmount } = renderInApp(<MailboxTrouble go={() => undefined} />);
      await waitFor(() => expect(container.querySelector('[data-testid="mailbox-trouble"]')).toBeNull());
      unmount();
    }
  });

  it('says why withdrawals would go unseen, and where to fix it', async () => {
    status = { ...base, lastError: 'The mailbox refused the password. Enter it again in Settings → Mailbox.' };
    const go = vi.fn();
    renderInApp(<MailboxTrouble go={go} />);
    expect(await screen.findByText(/refused the password/)).toBeInTheDocument();
    expect(screen.getByText(/withdraw their consent by email/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Mailbox settings' }));
    expect(go).toHaveBeenCalledWith('settings/mailbox');
  });
});
