import { describe, expect, it, vi, beforeEach } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInApp } from '../../test/render';
import type { ConfirmConsentInput, ReplyView, ScopeOptionView } from '../../api/mail';

const opt = (key: string, label: string, group: ScopeOptionView['group'], answer: ScopeOptionView['answer']): ScopeOptionView =>
  ({ key, label, group, answer, line: answer === 'yes' ? `[x] ${label}` : '' });

function reply(over: Partial<ReplyView> = {}): ReplyView {
  return {
    id: 7, kind: 'consent', patientName: 'Zoë Brontë', fromAddress: 'zoe@example.org', subject: 'Re: [PP-AAAA01]',
    receivedAt: '2026-12-06T09:00:00Z', status: 'pending', flags: [], preview: '', intent: 'answer',
    fromName: 'Zoë Brontë', words: '[x] Facebook\n[ ] Instagram', htmlOnly: false, typedName: 'Zoë Brontë', attachments: [],
    flagViews: [], notes: [], unclear: [], rawUrl: '/media/raw', request: null, patientId: 1, recordName: 'Zoë Brontë',
    quote: 'Lovely team', media: [], consentId: 0, testimonialId: 0, note: '', canConfirm: true, withdrawal: '',
    sender: { authServId: 'mx.google.com', dmarc: 'pass', spf: 'pass', dkim: 'pass', headerFrom: 'example.org', verdict: 'pass', forged: false },
    headersOnly: false, needsResolution: false, needsSenderCheck: false, needsNameCheck: false, resolution: '', held: [],
    options: [
      opt('full_name', 'My full name', 'identity', 'no'), opt('first_name', 'My first name only', 'identity', 'yes'),
      opt('facebook', 'Facebook', 'channel', 'yes'), opt('instagram', 'Instagram', 'channel', 'no'),
      opt('linkedin', 'LinkedIn', 'channel', 'ambiguous'),
    ],
    ...over,
  };
}

let current = reply();
const confirmed: ConfirmConsentInput[] = [];
vi.mock('../../api/mail', async (orig) => ({
  ...(await orig<typeof import('../../api/mail')>()),
  listReplies: () => Promise.resolve([current]),
  getReply: () => Promise.resolve(structuredClone(current)),
  mailStatus: () => Promise.resolve({ configured: true, watching: true, usingIdle: true, address: '', lastSync: '', lastError: '', note: '', pending: 1 }),
  confirmConsentReply: (_id: number, i: ConfirmConsentInput) => {
    confirmed.push(i);
    return Promise.resolve({ ...current, status: 'confirmed', consentId: 3, canConfirm: false });
  },
}));
vi.mock('../../api/system', () => ({ onEvent: () => () => undefined }));

import { RepliesPage } from './RepliesPage';

function renderPage() {
  return renderInApp(<RepliesPage id={7} go={() => undefined} />);
}

const box = (key: string) => within(screen.getByTestId(`box-${key}`)).getByRole('checkbox');

describe('RepliesPage confirm', () => {
  beforeEach(() => {
    confirmed.length = 0;
  });

  it('shows the reply beside each box and never lets a blank box be ticked', async () => {
    current = reply();
    renderPage();
    await screen.findByTestId('confirm-consent');
    expect(within(screen.getByTestId('box-instagram')).getByText('Left blank')).toBeInTheDocument();
    expect(within(screen.getByTestId('box-facebook')).getByText('Ticked')).toBeInTheDocument();
    expect(box('facebook')).toBeChecked();
    expect(box('instagram')).toBeDisabled();
    expect(box('full_name')).toBeDisabled();
    expect(box('linkedin')).toBeDisabled(); // unclear, and nothing resolved
    await userEvent.click(screen.getByRole('button', { name: 'Confirm consent' }));
    await waitFor(() => expect(confirmed).toHaveLength(1));
    expect(confirmed[0].channels).toEqual(['facebook']);
    expect(confirmed[0].identity).toEqual(['first_name']);
    expect(confirmed[0].resolution).toBeUndefined();
  });

  it('holds an unclear reply until the resolution is recorded, then allows the unclear box', async () => {
    current = reply({ needsResolution: true, flags: ['ambiguous'] });
    renderPage();
    await screen.findByTestId('resolution');
    const button = screen.getByRole('button', { name: 'Confirm consent' });
    expect(button).toBeDisabled();
    await userEvent.type(screen.getByLabelText('How it was settled'), 'Phoned Zoë');
    await userEvent.type(screen.getByLabelText('Who'), 'Sam');
    expect(box('linkedin')).toBeDisabled();
    await userEvent.type(screen.getByLabelText('When'), 'today 10:00');
    expect(box('linkedin')).not.toBeDisabled();
    expect(box('instagram')).toBeDisabled();
    await userEvent.click(box('linkedin'));
    await userEvent.click(screen.getByRole('button', { name: 'Confirm with my corrections' }));
    await waitFor(() => expect(confirmed).toHaveLength(1));
    expect(confirmed[0].channels).toEqual(['facebook', 'linkedin']);
    expect(confirmed[0].resolution).toEqual({ how: 'Phoned Zoë', who: 'Sam', when: 'today 10:00' });
  });

  it('asks how a doubtful sender was checked', async () => {
    current = reply({ needsSenderCheck: true, sender: { authServId: 'mx.google.com', dmarc: 'fail', spf: 'fail', dkim: 'none', headerFrom: 'example.org', verdict: 'fail', forged: false } });
    renderPage();
    await screen.findByTestId('sender-check');
    expect(screen.getByTestId('reply-sender')).toHaveTextContent('could not confirm the sender');
    expect(screen.getByRole('button', { name: 'Confirm consent' })).toBeDisabled();
    await userEvent.type(screen.getByLabelText('How you checked it really is the patient'), 'Phoned her');
    await userEvent.click(screen.getByRole('button', { name: 'Confirm consent' }));
    await waitFor(() => expect(confirmed).toHaveLength(1));
    expect(confirmed[0].senderCheck).toBe('Phoned her');
  });

  it('asks how the name was confirmed when the reply is signed with another', async () => {
    current = reply({ needsNameCheck: true, typedName: 'Sarah Brontë', flags: ['name_mismatch'] });
    renderPage();
    const field = await screen.findByTestId('name-check');
    expect(screen.getByText(/signed “Sarah Brontë”, not the name on record/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Confirm consent' })).toBeDisabled();
    expect(screen.getByText('Say how you confirmed the name first.')).toBeInTheDocument();
    await userEvent.type(field, 'Phoned Zoë; Sarah is her married name');
    await userEvent.click(screen.getByRole('button', { name: 'Confirm consent' }));
    await waitFor(() => expect(confirmed).toHaveLength(1));
    expect(confirmed[0].nameCheck).toBe('Phoned Zoë; Sarah is her married name');
    expect(confirmed[0].signerName).toBe('Sarah Brontë');
  });

  it('shows a withdrawal and offers no confirmation', async () => {
    current = reply({ intent: 'withdrawal', withdrawal: 'Please take my photo down', canConfirm: false, held: [3] });
    renderPage();
    expect(await screen.findByTestId('reply-withdrawal')).toHaveTextContent('Please take my photo down');
    expect(screen.getByTestId('reply-withdrawal')).toHaveTextContent('on hold');
    expect(screen.queryByTestId('confirm-consent')).toBeNull();
  });
});
