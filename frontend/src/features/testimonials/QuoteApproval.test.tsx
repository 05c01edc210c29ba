import { forwardRef, useImperativeHandle } from 'react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { consentView, testimonialView } from '../../test/fixtures';
import { renderInApp } from '../../test/render';
import type { LockStatus, QuoteApprovalScreen as Screen, QuoteEditView } from '../../api/types';

const api = vi.hoisted(() => ({
  listTestimonials: vi.fn(),
  updateTestimonial: vi.fn(),
  deleteTestimonial: vi.fn(),
  createTestimonial: vi.fn(),
  quoteEdit: vi.fn(),
  handApprovalToPatient: vi.fn(),
  approveQuote: vi.fn(),
  declineQuote: vi.fn(),
  approvalScreen: vi.fn(),
  emailApprovalReady: vi.fn(),
  emailApproval: vi.fn(),
  sendQuoteApproval: vi.fn(),
  confirmQuoteReply: vi.fn(),
  declineQuoteReply: vi.fn(),
}));
const lock = vi.hoisted(() => ({ lockStatus: vi.fn(), unlock: vi.fn() }));
// The drawn signature is the real pad's business (covered end to end); here
// the pad is empty or holds one stroke, as each test says.
const pad = vi.hoisted(() => ({ empty: true }));
vi.mock('../../api/testimonials', () => api);
vi.mock('../../api/patients', () => ({ listPatients: () => Promise.resolve([]) }));
vi.mock('../../api/consent', () => ({ ConsentEvents: { changed: 'consent:changed' }, listConsents: () => Promise.resolve([]), ...lock }));
vi.mock('../../api/drafts', () => ({ createDraft: vi.fn() }));
vi.mock('../../api/system', () => ({ onEvent: () => () => undefined }));
vi.mock('../consent/SignatureField', () => ({
  SignatureField: forwardRef(function Pad({ error }: { error?: string }, ref) {
    useImperativeHandle(ref, () => ({
      isEmpty: () => pad.empty,
      capture: () => ({ pngBase64: 'iVBOR', strokes: [[{ x: 1, y: 2, t: 0 }]] }),
      clear: () => undefined,
    }));
    return <div data-testid="signature-pad">{error}</div>;
  }),
}));

import { TestimonialsPage } from './TestimonialsPage';
import { ApprovalDialog } from './ApprovalDialog';
import { QuoteApprovalScreen } from './QuoteApprovalScreen';
import { approvalNotice } from '../lock/afterUnlock';
import { setPracticeCountry } from '../../format';

const changedProblem = { code: 'quote_changed', reason: 'The quote differs from the text the patient approved.' };
const verdict = (problems: { code: string; reason: string }[]) => ({
  channel: 'facebook', label: 'Facebook', mayPublish: problems.length === 0, problems, mayBoost: false, boostProblems: problems,
});
const edited = testimonialView({ id: 9, patientId: 4, consentId: 3, quote: 'Kind and quick.', source: 'email', nameAs: 'first_name' },
  { patientName: 'Maud Finch', publishable: 0, verdicts: [verdict([changedProblem])], consent: consentView({ id: 3, status: 'valid', statusText: 'Valid' }) });
const untouched = { ...edited, verdicts: [verdict([])], publishable: 1 };

const noEmail = { state: '', firstName: '', to: '', since: '', at: '', until: '', requestId: 0, replyId: 0, reply: '', notes: [] as string[] };

const parts = [{ op: 'same', text: 'Kind and quick' }, { op: 'removed', text: ', and the whole team was lovely' }, { op: 'same', text: '.' }];
const shortened: QuoteEditView = {
  testimonialId: 9, patientName: 'Maud Finch', approved: 'Kind and quick, and the whole team was lovely.', edited: 'Kind and quick.',
  change: { parts, lengthOrTypos: true, added: [] },
};
const beyond: QuoteEditView = {
  ...shortened, edited: 'Kind, quick and cheap.',
  change: { parts: [{ op: 'same', text: 'Kind' }, { op: 'added', text: ', cheap' }], lengthOrTypos: false, added: ['cheap'] },
};

describe('asking for approval of new words', () => {
  beforeEach(() => {
    Object.values(api).forEach((f) => f.mockReset());
    Object.values(lock).forEach((f) => f.mockReset());
    pad.empty = true;
    api.emailApprovalReady.mockResolvedValue({ canSend: true, reason: '', to: 'maud@example.org' });
    api.emailApproval.mockResolvedValue({ ...noEmail });
  });

  it('offers the approval only when the consent check found the words changed', async () => {
    api.listTestimonials.mockResolvedValue([untouched]);
    const { unmount } = renderInApp(<TestimonialsPage go={() => undefined} />);
    fireEvent.click(await screen.findByTestId('testimonial-menu'));
    await screen.findByTestId('testimonial-edit');
    expect(screen.queryByTestId('testimonial-approve')).toBeNull();
    unmount();

    api.listTestimonials.mockResolvedValue([edited]);
    api.quoteEdit.mockResolvedValue(beyond);
    renderInApp(<TestimonialsPage go={() => undefined} />);
    fireEvent.click(await screen.findByTestId('testimonial-menu'));
    fireEvent.click(await screen.findByTestId('testimonial-approve'));
    expect(await screen.findByText('Ask Maud Finch to approve the new words')).toBeInTheDocument();
    expect(api.quoteEdit).toHaveBeenCalledWith(9);
  });

  it('warns before handing over when the edit is more than length or typos, naming the added words', async () => {
    api.quoteEdit.mockResolvedValue(beyond);
    renderInApp(<ApprovalDialog t={edited} onClose={() => undefined} />);
    const warning = await screen.findByTestId('approval-beyond');
    expect(warning).toHaveTextContent('only to shorten them or fix typing mistakes');
    expect(warning).toHaveTextContent('“cheap”');
    expect(screen.getByTestId('quote-diff').querySelector('ins')).toHaveTextContent(', cheap');
  });

  it('says a shortening is within the consent, and hands the screen over once a PIN exists', async () => {
    api.quoteEdit.mockResolvedValue(shortened);
    lock.lockStatus.mockResolvedValue({ locked: false, pinSet: true });
    api.handApprovalToPatient.mockResolvedValue({ locked: true, pinSet: true });
    renderInApp(<ApprovalDialog t={edited} onClose={() => undefined} />);
    expect(await screen.findByTestId('approval-length-only')).toBeInTheDocument();
    expect(screen.queryByTestId('approval-beyond')).toBeNull();
    expect(screen.getByTestId('quote-diff').querySelector('del')).toHaveTextContent(', and the whole team was lovely');
    fireEvent.click(screen.getByTestId('approval-hand'));
    await waitFor(() => expect(api.handApprovalToPatient).toHaveBeenCalledWith(9));
  });

  it('shows a refusal from the backend in the dialog', async () => {
    api.quoteEdit.mockResolvedValue(shortened);
    lock.lockStatus.mockResolvedValue({ locked: false, pinSet: true });
    api.handApprovalToPatient.mockRejectedValue({ code: 'conflict', message: 'The patient has already approved these words.' });
    renderInApp(<ApprovalDialog t={edited} onClose={() => undefined} />);
    // The button waits for the comparison to load.
    await screen.findByTestId('approval-length-only');
    fireEvent.click(screen.getByTestId('approval-hand'));
    expect(await screen.findByTestId('approval-error')).toHaveTextContent('already approved');
  });
});

const screenView: Screen = {
  active: true, outcome: '', practiceName: 'Harbour Dental', patientName: 'Maud Finch', approved: shortened.approved, edited: shortened.edited,
  change: shortened.change, statement: 'Harbour Dental edited your words only to make them shorter or to correct typing mistakes.',
  shownText: 'shown', shownSha256: 'abc',
};

describe('the patient approval screen', () => {
  beforeEach(() => {
    Object.values(api).forEach((f) => f.mockReset());
    pad.empty = true;
  });

  it('shows both texts and the statement, and asks for a name and a signature before approving', async () => {
    renderInApp(<QuoteApprovalScreen view={screenView} onUnlocked={() => undefined} />);
    expect(screen.getByTestId('approval-old')).toHaveTextContent(shortened.approved);
    expect(screen.getByTestId('approval-new')).toHaveTextContent('Kind and quick.');
    expect(screen.getByTestId('approval-statement')).toHaveTextContent('only to make them shorter');
    fireEvent.click(screen.getByTestId('approve-quote'));
    expect(await screen.findByText('Please type your full name.')).toBeInTheDocument();
    fireEvent.change(screen.getByTestId('approval-typed-name'), { target: { value: 'Maud Finch' } });
    fireEvent.click(screen.getByTestId('approve-quote'));
    expect(await screen.findByText(/Please sign in the box/)).toBeInTheDocument();
    expect(api.approveQuote).not.toHaveBeenCalled();

    pad.empty = false;
    api.approveQuote.mockResolvedValue({ ...screenView, outcome: 'approved' });
    fireEvent.click(screen.getByTestId('approve-quote'));
    await waitFor(() => expect(api.approveQuote).toHaveBeenCalledWith({ pngBase64: 'iVBOR', strokes: [[{ x: 1, y: 2, t: 0 }]], typedName: 'Maud Finch' }, 'abc'));
    expect(await screen.findByTestId('approval-done')).toHaveTextContent('Your approval of the new words and your signature have been saved.');
  });

  it('declines without a signature and says the practice will not use the new words', async () => {
    api.declineQuote.mockResolvedValue({ ...screenView, outcome: 'declined' });
    renderInApp(<QuoteApprovalScreen view={screenView} onUnlocked={() => undefined} />);
    fireEvent.click(screen.getByTestId('decline-quote'));
    expect(await screen.findByTestId('approval-done')).toHaveTextContent('The practice will not use them.');
    expect(api.approveQuote).not.toHaveBeenCalled();
  });
});

describe('approvalNotice', () => {
  const st = (over: Partial<LockStatus>): LockStatus => ({
    locked: false, pinSet: true, waitSeconds: 0, signedConsentId: 0, quoteOutcome: '', quoteTestimonialId: 0, idleMinutes: 10, ...over,
  });
  it('tells the manager what the patient answered, and nothing when no approval was on screen', () => {
    expect(approvalNotice(st({}))).toBeNull();
    expect(approvalNotice(st({ quoteTestimonialId: 9, quoteOutcome: 'approved' }))?.title).toBe('New words approved');
    expect(approvalNotice(st({ quoteTestimonialId: 9, quoteOutcome: 'declined' }))?.message).toMatch(/no approval was recorded/);
    expect(approvalNotice(st({ quoteTestimonialId: 9 }))?.message).toMatch(/before the patient answered/);
  });
});

describe('approval of new words by email', () => {
  const waiting = { ...noEmail, state: 'waiting', firstName: 'Maud', to: 'maud@example.org', since: '2026-11-22T10:00:00Z', until: '2026-12-22T10:00:00Z', requestId: 5 };
  beforeEach(() => {
    Object.values(api).forEach((f) => f.mockReset());
    setPracticeCountry('GB');
    api.quoteEdit.mockResolvedValue(beyond);
  });

  it('disables sending with the reason beside it when no mailbox is connected', async () => {
    api.emailApprovalReady.mockResolvedValue({ canSend: false, reason: 'No mailbox is connected. Connect the practice mailbox in Settings → Mailbox first.', to: '' });
    api.emailApproval.mockResolvedValue({ ...noEmail });
    renderInApp(<ApprovalDialog t={edited} onClose={() => undefined} />);
    const why = await screen.findByTestId('approval-send-why');
    expect(why).toHaveTextContent('Settings → Mailbox');
    const send = screen.getByTestId('approval-send-email');
    expect(send).toBeDisabled();
    expect(send).toHaveAttribute('aria-describedby', why.id);
    expect(screen.queryByTestId('email-approval-status')).toBeNull();
  });

  it('disables sending when the patient has no address on record', async () => {
    api.emailApprovalReady.mockResolvedValue({ canSend: false, reason: 'Maud has no email address on record. Add one on Patients, then come back.', to: '' });
    api.emailApproval.mockResolvedValue({ ...noEmail });
    renderInApp(<ApprovalDialog t={edited} onClose={() => undefined} />);
    expect(await screen.findByTestId('approval-send-why')).toHaveTextContent('no email address on record');
    expect(screen.getByTestId('approval-send-email')).toBeDisabled();
  });

  it('sends the words and then says since when it waits, in the practice\'s date format', async () => {
    api.emailApprovalReady.mockResolvedValue({ canSend: true, reason: '', to: 'maud@example.org' });
    api.emailApproval.mockResolvedValue({ ...noEmail });
    api.sendQuoteApproval.mockResolvedValue(waiting);
    renderInApp(<ApprovalDialog t={edited} onClose={() => undefined} />);
    const send = await screen.findByTestId('approval-send-email');
    await waitFor(() => expect(send).toBeEnabled());
    expect(screen.queryByTestId('approval-send-why')).toBeNull();
    fireEvent.click(send);
    await waitFor(() => expect(api.sendQuoteApproval).toHaveBeenCalledWith(9));
    expect(await screen.findByTestId('email-approval-status')).toHaveTextContent('Waiting for Maud’s reply since 22 Nov 2026');
    expect(screen.getByTestId('approval-send-why')).toHaveTextContent('Already sent to maud@example.org');
  });

  it('shows a send failure where the button is', async () => {
    api.emailApprovalReady.mockResolvedValue({ canSend: true, reason: '', to: 'maud@example.org' });
    api.emailApproval.mockResolvedValue({ ...noEmail });
    api.sendQuoteApproval.mockRejectedValue({ code: 'unavailable', message: 'The SMTP server smtp.example.org refused the connection. Check it in Settings → Mailbox.' });
    renderInApp(<ApprovalDialog t={edited} onClose={() => undefined} />);
    const send = await screen.findByTestId('approval-send-email');
    await waitFor(() => expect(send).toBeEnabled());
    fireEvent.click(send);
    expect(await screen.findByTestId('approval-email-error')).toHaveTextContent('refused the connection');
    expect(screen.queryByTestId('email-approval-status')).toBeNull();
  });

  it('an unclear reply counts only once the manager says how they made sure', async () => {
    api.emailApprovalReady.mockResolvedValue({ canSend: true, reason: '', to: 'maud@example.org' });
    api.emailApproval.mockResolvedValue({ ...waiting, state: 'needs_look', replyId: 12, reply: 'Yes, but put “kind” back?' });
    api.confirmQuoteReply.mockResolvedValue({ ...waiting, state: 'approved', at: '2026-11-24T09:00:00Z' });
    renderInApp(<ApprovalDialog t={edited} onClose={() => undefined} />);
    expect(await screen.findByTestId('approval-reply-words')).toHaveTextContent('Yes, but put “kind” back?');
    expect(screen.getByTestId('email-approval-status')).toHaveTextContent('Maud replied: read the reply and decide');
    const confirm = screen.getByTestId('approval-reply-confirm');
    expect(confirm).toBeDisabled();
    expect(screen.getByText('Say first how you made sure they approve.')).toBeInTheDocument();
    fireEvent.change(screen.getByTestId('approval-how'), { target: { value: 'Phoned Maud; she approves.' } });
    expect(confirm).toBeEnabled();
    fireEvent.click(confirm);
    await waitFor(() => expect(api.confirmQuoteReply).toHaveBeenCalledWith(12, 'Phoned Maud; she approves.'));
    expect(await screen.findByTestId('email-approval-status')).toHaveTextContent('Approved by email on 24 Nov 2026');
    expect(screen.queryByTestId('approval-send-email')).toBeNull();
  });

  it('the manager can record that an unclear reply does not approve', async () => {
    api.emailApprovalReady.mockResolvedValue({ canSend: true, reason: '', to: 'maud@example.org' });
    api.emailApproval.mockResolvedValue({ ...waiting, state: 'needs_look', replyId: 12, reply: 'Hmm, not sure.' });
    api.declineQuoteReply.mockResolvedValue({ ...waiting, state: 'declined', at: '2026-11-23T09:00:00Z', replyId: 12 });
    renderInApp(<ApprovalDialog t={edited} onClose={() => undefined} />);
    fireEvent.click(await screen.findByTestId('approval-reply-decline'));
    await waitFor(() => expect(api.declineQuoteReply).toHaveBeenCalledWith(12));
    expect(await screen.findByTestId('email-approval-status')).toHaveTextContent('Declined on 23 Nov 2026');
    expect(api.confirmQuoteReply).not.toHaveBeenCalled();
    // Asking again stays possible.
    expect(screen.getByTestId('approval-send-email')).toBeEnabled();
  });

  it('says why a reply did not count', async () => {
    api.emailApprovalReady.mockResolvedValue({ canSend: true, reason: '', to: 'maud@example.org' });
    api.emailApproval.mockResolvedValue({ ...waiting, notes: ['A reply came from someone@example.net, not from the address on record, or its sender could not be confirmed. It does not count.'] });
    renderInApp(<ApprovalDialog t={edited} onClose={() => undefined} />);
    expect(await screen.findByText(/someone@example.net/)).toBeInTheDocument();
    expect(screen.getByTestId('email-approval-status')).toHaveTextContent('Waiting for Maud’s reply since 22 Nov 2026');
  });

  it('the card says where the emailed approval stands', async () => {
    for (const [state, text] of [
      [{ ...waiting }, 'Waiting for Maud’s reply since 22 Nov 2026'],
      [{ ...waiting, state: 'approved', at: '2026-11-24T09:00:00Z' }, 'Approved by email on 24 Nov 2026'],
      [{ ...waiting, state: 'declined', at: '2026-11-23T09:00:00Z' }, 'Declined on 23 Nov 2026'],
      [{ ...waiting, state: 'expired' }, 'No reply from Maud by 22 Dec 2026'],
    ] as const) {
      api.listTestimonials.mockResolvedValue([{ ...edited, emailApproval: state }]);
      const { unmount } = renderInApp(<TestimonialsPage go={() => undefined} />);
      const badge = await screen.findByTestId('email-approval-status');
      expect(badge).toHaveTextContent(text);
      expect(badge).toHaveAttribute('data-state', state.state);
      unmount();
    }
    api.listTestimonials.mockResolvedValue([edited]);
    renderInApp(<TestimonialsPage go={() => undefined} />);
    await screen.findByTestId('testimonial-card');
    expect(screen.queryByTestId('email-approval-status')).toBeNull();
  });
});
