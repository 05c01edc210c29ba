import { describe, expect, it, vi, beforeEach } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInApp } from '../../test/render';
import type { PatientCopy } from '../../api/mail';

let current: PatientCopy;
const calls: string[] = [];
vi.mock('../../api/mail', async (orig) => ({
  ...(await orig<typeof import('../../api/mail')>()),
  patientCopy: () => Promise.resolve(current),
  emailPatientCopy: (id: number) => {
    calls.push(`email ${id}`);
    return Promise.reject(new Error('The email server refused the patient\'s address z@example.org. Check the address on the patient\'s record.'));
  },
  recordCopyHandedOver: (id: number) => {
    calls.push(`hand ${id}`);
    current = { ...current, given: true, copies: [{ id: 1, method: 'in_person', to: '', state: 'sent', text: 'Handed over in person (as you recorded)', at: '2026-12-08T10:00:00Z', emailUrl: '' }] };
    return Promise.resolve(current);
  },
}));

import { PatientCopyCard } from './PatientCopyCard';

describe('PatientCopyCard', () => {
  beforeEach(() => {
    calls.length = 0;
    current = { given: false, emailTo: 'z@example.org', cannotEmail: '', copies: [] };
  });

  it('says why it cannot email, and where to fix it', async () => {
    current.cannotEmail = 'Set up the practice mailbox in Settings → Mailbox to email it.';
    renderInApp(<PatientCopyCard consentId={4} country="US" />);
    expect(await screen.findByText(/and HIPAA requires it/)).toBeInTheDocument();
    const button = await screen.findByRole('button', { name: 'Email it to z@example.org' });
    expect(button).toBeDisabled();
    expect(screen.getByTestId('email-copy-why')).toHaveTextContent('Emailing is not possible yet: Set up the practice mailbox');
    expect(screen.getByRole('link', { name: 'Open Settings → Mailbox' })).toHaveAttribute('href', '#/settings/mailbox');
  });

  it('shows a refused email, and records a printed copy once confirmed', async () => {
    renderInApp(<PatientCopyCard consentId={4} country="GB" />);
    await userEvent.click(await screen.findByRole('button', { name: 'Email it to z@example.org' }));
    expect(screen.queryByText(/HIPAA/)).toBeNull();
    expect(await screen.findByTestId('copy-error')).toHaveTextContent('refused the patient\'s address');
    await userEvent.click(screen.getByRole('button', { name: 'I gave them a printed copy' }));
    await userEvent.click(await screen.findByRole('button', { name: 'Record it' }));
    await waitFor(() => expect(screen.getByText('Given')).toBeInTheDocument());
    expect(screen.getByTestId('copy-history')).toHaveTextContent('Handed over in person');
    expect(calls).toEqual(['email 4', 'hand 4']);
  });
});
