import * as Inbox from '../../wailsjs/go/service/InboxService';

/* eslint-disable @typescript-eslint/no-explicit-any */

export type InboxKind = 'comment' | 'reply' | 'review';

export interface InboxItem {
  id: number;
  platform: string;
  channel: string;
  remoteId: string;
  parentId: string;
  postId: string;
  postUrl: string;
  url: string;
  kind: InboxKind;
  author: string;
  fromPractice: boolean;
  text: string;
  stars: number;
  createdAt: string;
  updatedAt: string;
  hidden: boolean;
  gone: boolean;
  canReply: boolean;
  canHide: boolean;
  canDelete: boolean;
  replyText: string;
  repliedAt: string;
  replyState: string;
}

export interface InboxCaps {
  reply: boolean;
  hide: boolean;
  delete: boolean;
  replyNote: string;
}

export interface InboxThread {
  root: InboxItem;
  replies: InboxItem[];
  waiting: InboxItem | null;
  channelName: string;
  platform: string;
  title: string;
  caps: InboxCaps;
  suggested: string;
  discloses: boolean;
}

export interface FilledTemplate {
  situation: string;
  title: string;
  hint: string;
  text: string;
}

export interface InboxSummary {
  unanswered: number;
  oldestWaiting: string;
}

export interface InboxView {
  threads: InboxThread[];
  summary: InboxSummary;
  templates: FilledTemplate[];
  channels: { value: string; label: string }[];
  country: string;
  retentionDays: number;
}

export interface InboxFilter {
  platform: string;
  kind: '' | InboxKind;
  unanswered: boolean;
}

export interface Finding {
  kind: string;
  severity: 'block' | 'warn';
  start: number;
  end: number;
  text?: string;
  message: string;
  fix: string;
}

export interface ReplyCheck {
  findings: Finding[];
  blocked: boolean;
  private: string;
}

export interface ReplyOutcome {
  sent: boolean;
  blocked: boolean;
  findings: Finding[] | null;
  message: string;
  openUrl: string;
}

export interface RefreshResult {
  channels: { channel: string; name: string; title: string; added: number; changed: number; error: string }[];
  removed: number;
}

export const listInbox = (f: InboxFilter) => Inbox.List(f as any) as unknown as Promise<InboxView>;
export const inboxSummary = () => Inbox.Summary() as unknown as Promise<InboxSummary>;
export const checkReply = (id: number, text: string) => Inbox.Check(id, text) as unknown as Promise<ReplyCheck>;
export const sendReply = (id: number, text: string) => Inbox.Reply(id, text) as unknown as Promise<ReplyOutcome>;
export const hideComment = (id: number, hidden: boolean) => Inbox.Hide(id, hidden) as unknown as Promise<ReplyOutcome>;
export const deleteComment = (id: number) => Inbox.Delete(id) as unknown as Promise<ReplyOutcome>;
export const refreshInbox = () => Inbox.Refresh() as unknown as Promise<RefreshResult>;
export const setInboxRetention = (days: number) => Inbox.SetRetention(days);

export const InboxEvents = { changed: 'inbox:changed', progress: 'inbox:progress' } as const;

/** Words the manager can use as they are start with this (the reply guard's guard.RewritePrefix). */
export const rewritePrefix = 'Try instead: ';

/** "6 Dec 2026, 14:05" for a UK practice, "Dec 6, 2026, 2:05 PM" for a US one. */
export function practiceDate(iso: string | null | undefined, country: string): string {
  if (!iso || iso.startsWith('0001-')) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const us = country === 'US';
  return new Intl.DateTimeFormat(us ? 'en-US' : 'en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: us ? 'numeric' : '2-digit', minute: '2-digit', hour12: us }).format(d);
}
