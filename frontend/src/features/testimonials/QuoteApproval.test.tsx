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

const changedProblem = { code: 'quote_changed', reason: 'The quote differs from the text the patient approved.' };
const verdict = (problems: { code: string; reason: string }[]) => ({
  channel: 'facebook', label: 'Facebook', mayPublish: problems.length === 0, problems, mayBoost: false, boostProblems: problems,
});
const edited = testimonialView({ id: 9, patientId: 4, consentId: 3, quote: 'Kind and quick.', source: 'email', nameAs: 'first_name' },
  { patientName: 'Maud Finch', publishable: 0, verdicts: [verdict([changedProblem])], consent: consentView({ id: 3, status: 'valid', statusText: 'Valid' }) });
const untouched = { ...edited, verdicts: [verdict([])], publishable: 1 };

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
