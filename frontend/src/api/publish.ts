import * as Publish from '../../wailsjs/go/service/PublishService';
import type { PublishInput, PublishState } from './types';
import type { queue, service } from '../../wailsjs/go/models';

export const publishDraft = (input: PublishInput) => Publish.Publish(input);
export const draftJobs = (draftId: number) => Publish.Jobs(draftId);
export const queuedJobs = () => Publish.Queue();
/** Posts that went out in the last seven days, newest first. */
export const recentJobs = () => Publish.Recent();
/** Patient images a host would not delete after their post (Instagram's Page photo, the bucket). */
export const hostedLeftovers = () => Publish.Leftovers();
/** Tries deleting them again now and lists what is still left. */
export const removeHostedLeftovers = () => Publish.RemoveLeftovers();
export const publishJobNow = (jobId: number) => Publish.PublishNow(jobId);
export const rescheduleJob = (jobId: number, date: string, clock: string) =>
  Publish.Reschedule(jobId, date, clock);
export const cancelJob = (jobId: number) => Publish.Cancel(jobId);
export const takedowns = (consentId: number) => Publish.Takedowns(consentId);
export const takedown = (jobId: number) => Publish.Takedown(jobId);
export const background = () => Publish.Background();
export const quitApp = () => Publish.Quit();

/** Why Instagram or Google cannot take a draft's image ("" when they can). */
export type HostingNeeds = service.HostingNeeds;
export const hostingNeeds = (draftId: number) => Publish.HostingNeeds(draftId);

export const PublishEvents = {
  progress: 'publish:progress',
} as const;

/**
 * One post on a withdrawn consent's takedown list. Where PracticePost cannot
 * delete it (Instagram's API has no way to, or the platform refused),
 * `manual` is set and `instructions` say what to do on the platform; a post
 * marked removed by hand has `takedown: 'removed_manually'` and when/by/note.
 */
export type TakedownItem = queue.Takedown;
export const takedownItems = (consentId: number) => Publish.Takedowns(consentId);
/** Records that the manager deleted the post on its platform by hand; the note is optional and never logged. */
export const markRemoved = (jobId: number, note: string) => Publish.MarkRemoved(jobId, note);

/** One step of one post, as the queue reports it (publish:progress, queue.Progress in
 * app/publish/queue; an event payload, so Wails does not generate it). */
export interface PublishProgress {
  jobId: number;
  requestId: number;
  draftId: string;
  channel: string;
  platform: string;
  step: string;
  state: PublishState;
  url?: string;
  message?: string;
  kind?: string;
  retryAt?: string;
}
