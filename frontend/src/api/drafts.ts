import * as Drafts from '../../wailsjs/go/service/DraftService';
import * as Studio from '../../wailsjs/go/service/StudioService';
import type { ChoiceView, DraftInput, DraftSummary, DraftView } from './types';

/* eslint-disable @typescript-eslint/no-explicit-any */
export const createDraft = (d: Partial<DraftInput>) => Drafts.Create(blank(d) as any) as unknown as Promise<DraftView>;
export const saveDraft = (d: DraftInput) => Drafts.Save(d as any) as unknown as Promise<DraftView>;
export const getDraft = (id: number) => Drafts.Get(id) as unknown as Promise<DraftView>;
export const listDrafts = () => Drafts.List() as unknown as Promise<DraftSummary[]>;
export const deleteDraft = (id: number) => Drafts.Delete(id);
export const scheduleDraft = (id: number, date: string, clock: string) =>
  Drafts.Schedule(id, date, clock) as unknown as Promise<DraftView>;
export const unscheduleDraft = (id: number) => Drafts.Unschedule(id) as unknown as Promise<DraftView>;
export const moveDraft = (id: number, date: string, clock = '') =>
  Drafts.Move(id, date, clock) as unknown as Promise<DraftView>;
export const channelChoices = () => Drafts.ChannelChoices() as unknown as Promise<ChoiceView[]>;
export const pillarChoices = () => Drafts.PillarChoices() as unknown as Promise<ChoiceView[]>;

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
  (Studio.Library(200, 0) as unknown as Promise<{ items: LibraryImage[] }>).then((l) => l.items ?? []);

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
    ...d,
  };
}
