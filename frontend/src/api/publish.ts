import * as Publish from '../../wailsjs/go/service/PublishService';
import type { BackgroundView, JobView, PublishInput, PublishResult, Takedown } from './types';

/* eslint-disable @typescript-eslint/no-explicit-any */
export const publishDraft = (input: PublishInput) => Publish.Publish(input as any) as unknown as Promise<PublishResult>;
export const draftJobs = (draftId: number) => Publish.Jobs(draftId) as unknown as Promise<JobView[]>;
export const queuedJobs = () => Publish.Queue() as unknown as Promise<JobView[]>;
/** Posts that went out in the last seven days, newest first. */
export const recentJobs = () => Publish.Recent() as unknown as Promise<JobView[]>;
export const publishJobNow = (jobId: number) => Publish.PublishNow(jobId) as unknown as Promise<JobView>;
export const rescheduleJob = (jobId: number, date: string, clock: string) =>
  Publish.Reschedule(jobId, date, clock) as unknown as Promise<JobView>;
export const cancelJob = (jobId: number) => Publish.Cancel(jobId) as unknown as Promise<JobView>;
export const takedowns = (consentId: number) => Publish.Takedowns(consentId) as unknown as Promise<Takedown[]>;
export const takedown = (jobId: number) => Publish.Takedown(jobId) as unknown as Promise<JobView>;
export const background = () => Publish.Background() as unknown as Promise<BackgroundView>;
export const quitApp = () => Publish.Quit();

/** Why Instagram or Google cannot take a draft's image ("" when they can). */
export interface HostingNeeds {
  connected: boolean;
  instagram: string;
  google: string;
}
export const hostingNeeds = (draftId: number) => Publish.HostingNeeds(draftId) as unknown as Promise<HostingNeeds>;

export const PublishEvents = {
  progress: 'publish:progress',
} as const;

/**
 * One post on a withdrawn consent's takedown list. Where PracticePost cannot
 * delete it (Instagram's API has no way to, or the platform refused),
 * `manual` is set and `instructions` say what to do on the platform; a post
 * marked removed by hand has `takedown: 'removed_manually'` and when/by/note.
 */
export interface TakedownItem extends Omit<Takedown, 'takedown'> {
  takedown: '' | 'pending' | 'failed' | 'removed_manually';
  manual: boolean;
  instructions?: string;
  removedAt?: string;
  removedBy?: string;
  note?: string;
}
export const takedownItems = (consentId: number) => Publish.Takedowns(consentId) as unknown as Promise<TakedownItem[]>;
/** Records that the manager deleted the post on its platform by hand; the note is optional and never logged. */
export const markRemoved = (jobId: number, note: string) => Publish.MarkRemoved(jobId, note) as unknown as Promise<JobView>;
