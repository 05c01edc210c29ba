import * as Inbox from '../../wailsjs/go/service/InboxService';
import type { app, gate, guard, inbox, publish, service } from '../../wailsjs/go/models';


export type InboxKind = 'comment' | 'reply' | 'review';

export type InboxItem = app.InboxItem;

export type InboxCaps = publish.InboxCaps;

export type InboxThread = service.InboxThread;

export type FilledTemplate = inbox.Filled;

export type InboxSummary = inbox.Summary;

export type InboxView = service.InboxView;

export type InboxFilter = inbox.Filter;

export type Finding = guard.Finding;

export type ReplyCheck = gate.ReplyResult;

export type ReplyOutcome = service.ReplyOutcome;

export type RefreshResult = service.RefreshResult;

export const listInbox = (f: InboxFilter) => Inbox.List(f);
export const inboxSummary = () => Inbox.Summary();
export const checkReply = (id: number, text: string) => Inbox.Check(id, text);
export const sendReply = (id: number, text: string) => Inbox.Reply(id, text);
export const hideComment = (id: number, hidden: boolean) => Inbox.Hide(id, hidden);
export const deleteComment = (id: number) => Inbox.Delete(id);
export const refreshInbox = () => Inbox.Refresh();
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
