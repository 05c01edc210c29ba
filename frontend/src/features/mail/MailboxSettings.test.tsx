import { describe, expect, it, vi, beforeEach } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInApp } from '../../test/render';
import type { MailSettingsView, TestResult } from '../../api/mail';

const view: MailSettingsView = {
  settings: {
    imap: { host: 'imap.example.com', port: 993, security: 'tls' },
    smtp: { host: 'smtp.example.com', port: 465, security: 'tls' },
    username: 'hello@harbour.example', fromAddress: 'hello@harbour.example', fromName: 'Harbour Dental',
    mailbox: '', moveProcessed: false, processedMailbox: '', connectedAt: '',
  },
  configured: false,
  passwordSaved: false,
  signedIn: false,
};

let notice = '';
const tested: unknown[] = [];
let testResult: TestResult = { ok: true, message: 'fine', field: '' };
vi.mock('../../api/mail', async (orig) => ({
  ...(await orig<typeof import('../../api/mail')>()),
  mailSettings: () => Promise.resolve({ ...structuredClone(view), notice }),
  mailStatus: () => Promise.resolve({ configured: false, watching: false, usingIdle: false, address: '', lastSync: '', lastError: '', note: '', pending: 0 }),
  testMailbox: (i: unknown) => {
    tested.push(i);
    return Promise.resolve(testResult);
  },
  saveMailSettings: vi.fn(),
  removeMailbox: vi.fn(),
  checkMailNow: vi.fn(),
  signInOptions: () => Promise.resolve([
    { provider: 'microsoft', label: 'Microsoft 365 or Outlook.com', available: false, note: 'This copy of PracticePost was built without Microsoft sign-in.' },
    { provider: 'google', label: 'Gmail or Google Workspace', available: true, note: 'Sign in with Google, or use an app password.' },
  ]),
  signInMailbox: vi.fn(),
}));
vi.mock('../../api/system', () => ({
  onEvent: () => () => undefined,
  missingSignIns: () => Promise.resolve([{ key: 'microsoft', name: 'Microsoft 365 or Outlook.com', screen: 'Mailbox',
    otherwise: 'Microsoft mailboxes accept only Microsoft’s sign-in: use another mailbox that takes a password, or the released app.' }]),
}));

import { MailboxSettings } from './MailboxSettings';

function renderForm() {
  return renderInApp(<MailboxSettings />);
}

describe('MailboxSettings', () => {
  beforeEach(() => {
    tested.length = 0;
    notice = '';
  });

  it('says when the settings kept before could not be read, and still offers the form', async () => {
    notice = 'The mailbox settings saved before could not be read. Enter them again below, then test and save.';
    renderForm();
    expect(await screen.findByTestId('mailbox-notice')).toHaveTextContent('could not be read. Enter them again below');
    expect(screen.getByLabelText('IMAP server')).toBeEnabled();
    expect(screen.getByRole('button', { name: 'Test connection' })).toBeInTheDocument();
  });

  it('shows no notice when the settings read fine', async () => {
    renderForm();
    await screen.findByLabelText('IMAP server');
    expect(screen.queryByTestId('mailbox-notice')).toBeNull();
  });

  it('shows a failed test under the field it names, and only there', async () => {
    testResult = { ok: false, field: 'smtp.port', message: 'The SMTP server smtp.example.com refused the connection on port 465.' };
    renderForm();
    await screen.findByLabelText('SMTP port');
    await userEvent.type(screen.getByLabelText('Password'), 'secret');
    await userEvent.click(screen.getByRole('button', { name: 'Test connection' }));
    const port = screen.getByLabelText('SMTP port');
    await waitFor(() => expect(port.getAttribute('aria-invalid')).toBe('true'));
    expect(screen.getByLabelText('IMAP port').getAttribute('aria-invalid')).not.toBe('true');
    expect(screen.getAllByText(/refused the connection on port 465/).length).toBeGreaterThan(0);
    expect(tested[0]).toMatchObject({ password: 'secret', settings: { smtp: { port: 465 } } });
  });

  it('moves the usual port along when the security changes', async () => {
    testResult = { ok: true, field: '', message: 'Signed in' };
    renderForm();
    await screen.findByLabelText('IMAP port');
    const security = screen.getByRole('combobox', { name: 'IMAP security' });
    await userEvent.click(security);
    const list = await waitFor(() => document.getElementById(security.getAttribute('aria-controls') ?? '') as HTMLElement);
    await userEvent.click(within(list).getByText('STARTTLS'));
    await waitFor(() => expect((screen.getByLabelText('IMAP port') as HTMLInputElement).value).toBe('143'));
    expect((screen.getByLabelText('SMTP port') as HTMLInputElement).value).toBe('465');
  });

  it('says which providers sign in and what this build lacks', async () => {
    renderForm();
    const card = await screen.findByTestId('mail-signin');
    expect(within(card).getByRole('button', { name: 'Sign in with Microsoft' })).toBeDisabled();
    expect(within(card).getByRole('button', { name: 'Sign in with Google' })).not.toBeDisabled();
    // What the build lacks is said once, above the buttons, with what to do instead.
    const notice = await within(card).findByTestId('mailbox-missing-signins');
    expect(notice).toHaveTextContent('Microsoft 365 or Outlook.com: Microsoft mailboxes accept only');
    expect(card).toHaveTextContent('Not in this copy of PracticePost (see above).');
  });
});
