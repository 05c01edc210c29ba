import * as Drafts from '../../wailsjs/go/service/DraftService';
import * as Studio from '../../wailsjs/go/service/StudioService';
import type { DraftInput } from './types';

export const createDraft = (d: Partial<DraftInput>) => Drafts.Create(blank(d));
export const saveDraft = (d: DraftInput) => Drafts.Save(d);
export const getDraft = (id: number) => Drafts.Get(id);
export const listDrafts = () => Drafts.List();
export const deleteDraft = (id: number) => Drafts.Delete(id);
export const scheduleDraft = (id: number, date: string, clock: string) =>
  Drafts.Schedule(id, date, clock);
export const unscheduleDraft = (id: number) => Drafts.Unschedule(id);
export const moveDraft = (id: number, date: string, clock = '') =>
  Drafts.Move(id, date, clock);
export const channelChoices = () => Drafts.ChannelChoices();
export const pillarChoices = () => Drafts.PillarChoices();

/** An image kept in the Studio library. */
export interface LibraryImage {
  id: number;
  /** The kept design this size belongs to. */
  setId: string;
  sha256: string;
  width: number;
  height: number;
  bytes: number;
  sizeId: string;
  altText: string;
  url: string;
}

export const libraryImages = () =>
  (Studio.Library(200, 0)).then((l) => l.items ?? []);

export function blank(d: Partial<DraftInput>): DraftInput {
  return {
    id: 0,
    title: '',
    body: '',
    versions: {},
    channels: [],
    hashtags: [],
    link: '',
    utm: true,
    campaign: '',
    pillar: '',
    media: [],
    testimonials: [],
    paid: false,
    localTime: '',
    awarenessId: '',
    ...d,
  };
}
