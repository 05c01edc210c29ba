import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MantineProvider } from '@mantine/core';
import type { JobView, PublishState } from '../../api/types';

const api = vi.hoisted(() => ({
  publishJobNow: vi.fn(),
  rescheduleJob: vi.fn(),
  cancelJob: vi.fn(),
  scheduleDraft: vi.fn(),
}));
vi.mock('../../api/publish', () => ({ publishJobNow: api.publishJobNow, rescheduleJob: api.rescheduleJob, cancelJob: api.cancelJob }));
vi.mock('../../api/drafts', () => ({ scheduleDraft: api.scheduleDraft }));

import { JobDetail, JobItem, worstState } from './JobActions';
import { dayIn } from '../../format';

const zero = '0001-01-01T00:00:00Z';
function job(state: PublishState, over: Partial<JobView> = {}): JobView {
  return {
    id: 7, requestId: 3, draftId: '12', channel: 'mastodon:@smile@example.social', platform: 'mastodon', state, text: 'Flu jabs on Saturday',
    scheduledAt: '2026-11-22T09:00:00Z', zone: 'Europe/London', nextAt: zero, native: false, attempts: 0, errorKind: '', errorCode: '',
    errorMessage: '', platformMessage: '', remoteId: '', remoteUrl: '', remoteScheduledAt: zero, publishedAt: zero, takedown: '', takedownError: '',
    channelName: '@smile@example.social', title: 'Mastodon', nativeNote: '', ...over,
  };
}

const wrap = (ui: React.ReactNode) => render(<MantineProvider>{ui}</MantineProvider>);

beforeEach(() => {
  Object.values(api).forEach((f) => f.mockReset());
});

describe('JobActions', () => {
  it.each([
    ['queued', ['job-now', 'job-new-time', 'job-cancel']],
    ['missed', ['job-now', 'job-new-time', 'job-cancel']],
    ['failed', ['job-now', 'job-new-time', 'job-cancel']],
    ['waiting', ['job-now', 'job-new-time', 'job-cancel']],
    // Facebook holds it: sending again would post twice; moving it is done by dragging.
    ['scheduled_remote', ['job-cancel']],
    ['blocked', ['job-cancel']],
    ['attempting', []],
    ['published', []],
    ['cancelled', []],
  ] as [PublishState, string[]][])('%s offers %j', (state, want) => {
    wrap(<JobItem job={job(state)} />);
    for (const id of ['job-now', 'job-new-time', 'job-cancel']) {
      expect(screen.queryByTestId(id) !== null, id).toBe(want.includes(id));
    }
  });

  it('a post the consent check stopped shows why and can be checked again; one whose consent was withdrawn cannot', async () => {
    const why = 'Blocked by the consent and privacy check: Testimonial 1: The consent expired at the end of 6 January 2027.';
    const changed = vi.fn();
    api.publishJobNow.mockRejectedValue({ code: 'forbidden', message: why });
    const { unmount } = wrap(<JobItem job={job('blocked', { errorKind: 'gate_blocked', errorMessage: why })} onChanged={changed} />);
    expect(screen.getByTestId('job-detail')).toHaveTextContent('The consent expired');
    const again = screen.getByTestId('job-now');
    expect(again).toHaveTextContent('Check again and publish');
    fireEvent.click(again);
    await waitFor(() => expect(changed).toHaveBeenCalled());
    expect(api.publishJobNow).toHaveBeenCalledWith(7);
    // The refusal is the post's own reason: shown once, not again as an error.
    expect(screen.queryByTestId('job-action-error')).toBeNull();
    unmount();
    const revoked = wrap(<JobItem job={job('blocked', { errorKind: 'consent_revoked', errorMessage: 'A patient consent this post relies on was withdrawn, so it will not go out.' })} />);
    expect(screen.queryByTestId('job-now')).toBeNull();
    expect(screen.getByTestId('job-detail')).toHaveTextContent('withdrawn');
    revoked.unmount();
    // Facebook held it and took it down on a hold: publish the post again instead.
    wrap(<JobItem job={job('blocked', { platform: 'facebook', errorKind: 'consent_on_hold', takedown: 'deleted', remoteId: '1_2', errorMessage: 'On hold.' })} />);
    expect(screen.queryByTestId('job-now')).toBeNull();
  });

  it('does not offer Publish now while the account needs reconnecting, and says why', () => {
    wrap(<JobItem job={job('missed')} reconnect="Reconnect Mastodon under Channels first; then publish it." />);
    expect(screen.getByTestId('job-now')).toBeDisabled();
    expect(screen.getByTestId('job-reconnect')).toHaveTextContent('Reconnect Mastodon');
  });

  it('publishes a missed post now', async () => {
    const changed = vi.fn();
    api.publishJobNow.mockResolvedValue(job('queued'));
    wrap(<JobItem job={job('missed')} onChanged={changed} />);
    fireEvent.click(screen.getByTestId('job-now'));
    await waitFor(() => expect(changed).toHaveBeenCalled());
    expect(api.publishJobNow).toHaveBeenCalledWith(7);
  });

  it('a new time schedules the draft; a refused post is also put back in the queue', async () => {
    api.scheduleDraft.mockResolvedValue({});
    api.rescheduleJob.mockResolvedValue(job('queued'));
    const changed = vi.fn();
    wrap(<JobItem job={job('failed', { errorMessage: 'Mastodon refused this post.' })} onChanged={changed} />);
    fireEvent.click(screen.getByTestId('job-new-time'));
    // The day picker refuses past days, so the new day is one ahead of today.
    const day = dayIn(undefined, 3);
    fireEvent.change(screen.getByLabelText('Day'), { target: { value: day } });
    fireEvent.change(screen.getByLabelText(/^Time/), { target: { value: '10:30' } });
    fireEvent.click(screen.getByTestId('job-new-time-save'));
    await waitFor(() => expect(changed).toHaveBeenCalled());
    expect(api.scheduleDraft).toHaveBeenCalledWith(12, day, '10:30');
    expect(api.rescheduleJob).toHaveBeenCalledWith(7, day, '10:30');
  });

  it('a missed post moves with its draft only (the queue follows the draft)', async () => {
    api.scheduleDraft.mockResolvedValue({});
    const changed = vi.fn();
    wrap(<JobItem job={job('missed')} onChanged={changed} />);
    fireEvent.click(screen.getByTestId('job-new-time'));
    fireEvent.click(screen.getByTestId('job-new-time-save'));
    await waitFor(() => expect(changed).toHaveBeenCalled());
    expect(api.scheduleDraft).toHaveBeenCalledTimes(1);
    expect(api.rescheduleJob).not.toHaveBeenCalled();
  });

  it('shows the refusal and keeps the form when the new time is not allowed', async () => {
    api.scheduleDraft.mockRejectedValue({ code: 'invalid', message: 'That time has already passed. Choose a time in the future.' });
    wrap(<JobItem job={job('missed')} />);
    fireEvent.click(screen.getByTestId('job-new-time'));
    fireEvent.click(screen.getByTestId('job-new-time-save'));
    expect(await screen.findByTestId('job-action-error')).toHaveTextContent('already passed');
    expect(screen.getByTestId('job-new-time-form')).toBeInTheDocument();
  });

  it('cancels only after confirming', async () => {
    api.cancelJob.mockResolvedValue(job('cancelled'));
    wrap(<JobItem job={job('missed')} />);
    fireEvent.click(screen.getByTestId('job-cancel'));
    expect(api.cancelJob).not.toHaveBeenCalled();
    fireEvent.click(await screen.findByTestId('job-cancel-confirm'));
    await waitFor(() => expect(api.cancelJob).toHaveBeenCalledWith(7));
  });
});

describe('JobDetail', () => {
  it.each([
    [job('scheduled_remote', { platform: 'facebook', title: 'Facebook', native: true }), /goes out even if this computer is off/],
    [job('queued'), /PracticePost sends it/],
    [job('missed'), /while PracticePost was closed/],
    [job('blocked'), /consent .* was withdrawn/],
    [job('waiting', { errorKind: 'rate_limited', nextAt: '2026-11-22T09:20:00Z' }), /limiting how often .* tries again by itself at/],
    [job('failed', { errorMessage: 'Mastodon refused this post.', platformMessage: 'Text too long' }), /Mastodon refused this post/],
  ])('%#: %s', (j, want) => {
    wrap(<JobDetail job={j} />);
    expect(screen.getByTestId('job-detail').textContent).toMatch(want);
  });

  it('links a live post', () => {
    wrap(<JobDetail job={job('published', { remoteUrl: 'https://example.social/@smile/1', publishedAt: '2026-11-22T09:00:05Z' })} />);
    expect(screen.getByTestId('job-live-link')).toHaveAttribute('href', 'https://example.social/@smile/1');
  });
});

describe('worstState', () => {
  it('picks what needs the manager most', () => {
    expect(worstState([job('published'), job('missed'), job('scheduled_remote')])).toBe('missed');
    expect(worstState([job('published'), job('scheduled_remote')])).toBe('scheduled_remote');
    expect(worstState([job('cancelled'), job('waiting')])).toBe('waiting');
    expect(worstState([])).toBe('');
  });
});
