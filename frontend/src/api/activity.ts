import * as Activity from '../../wailsjs/go/service/ActivityService';

export const listActivity = (page: number, pageSize: number) =>
  Activity.List(page, pageSize);
export const verifyActivity = () => Activity.Verify();

const labels: Record<string, string> = {
  'data.create': 'Data file created',
  'brand.update': 'Brand kit changed',
  'brand.logo': 'Logo uploaded',
  'brand.logo.remove': 'Logo removed',
  'backup.create': 'Backup made',
  'backup.auto': 'Automatic daily backup',
  'backup.restore': 'Data restored from a backup',
  'backup.folder': 'Backup folder changed',
  'patient.create': 'Patient added',
  'consent.request': 'Consent handed to a patient to sign',
  'consent.request.cancel': 'Consent request cancelled',
  'consent.pending': 'Consent waiting for signature',
  'consent.sign': 'Consent signed',
  'consent.revoke': 'Consent withdrawn',
  'consent.settings': 'Consent settings changed',
  'consent.template.add': 'Consent form wording saved as a new version',
  'consent.pdf.save': 'Signed consent PDF saved',
  'testimonial.create': 'Testimonial added',
  'lock.lock': 'Screen locked for a patient',
  'lock.unlock': 'Screen unlocked',
  'lock.unlock.refused': 'Wrong PIN entered',
  'lock.pin.set': 'Manager PIN set',
  'lock.pin.change': 'Manager PIN changed',
  'media.keep': 'Images kept in the library',
  'media.declare': 'Image declared as showing no patient',
  'media.export': 'Images exported to a folder',
  'media.delete': 'Image removed from the library',
  'draft.create': 'Draft created',
  'draft.delete': 'Draft deleted',
  'draft.move': 'Post moved to another day',
  'draft.plan': 'Post planned',
  'draft.schedule': 'Post scheduled',
  'draft.unschedule': 'Post unscheduled',
  'draft.published': 'Post published',
  'calendar.settings': 'Calendar settings changed',
  'channel.connected': 'Channel connected',
  'channel.disconnected': 'Channel disconnected',
  'channel.needs_reconnect': 'Channel needs reconnecting',
  'channel.reconnected': 'Channel reconnected',
  'channel.updated': 'Channel updated',
  'channel.test_post_attempt': 'Test post passed the checks; sending started',
  'channel.test_post_blocked': 'Test post stopped by the checks',
  'mail.settings': 'Mailbox settings changed',
  'mail.settings.remove': 'Mailbox removed',
  'mail.request.create': 'Email request prepared',
  'mail.request.sent': 'Email request sent',
  'mail.reply.receive': 'Email reply received',
  'mail.reply.confirmed': 'Email reply confirmed',
  'publish.queue': 'Post queued for publishing',
  'publish.attempting': 'Publishing…',
  'publish.published': 'Post published',
  'publish.failed': 'Publishing failed',
  'publish.waiting': 'Publishing waits for the platform',
  'publish.missed': 'Scheduled post missed while PracticePost was closed',
  'publish.scheduled_remote': 'Post handed to the platform to publish later',
  'publish.blocked': 'Post blocked: consent withdrawn',
  'publish.cancelled': 'Post cancelled',
  'publish.takedown_deleted': 'Post taken down',
  'publish.takedown_failed': 'Takedown failed',
  'publish.takedown_removed_manually': 'Post marked as removed by hand',
};

/** A plain-English name for an activity-log action. */
export function actionLabel(action: string): string {
  return labels[action] ?? action.replace(/[._]/g, ' ').replace(/^\w/, (c) => c.toUpperCase());
}

const detailLabels: Record<string, string> = {
  fields: 'Changed',
  file: 'File',
  bytes: 'Size',
  from: 'From',
  safetyCopy: 'Previous data kept as',
  sha256: 'Fingerprint',
  size: 'Dimensions',
};

const fieldLabels: Record<string, string> = {
  practiceName: 'practice name',
  address: 'address',
  phone: 'phone',
  email: 'email',
  website: 'website',
  country: 'country',
  disclaimer: 'disclaimer',
  hashtags: 'hashtags',
  colors: 'colours',
  headingFont: 'heading font',
  bodyFont: 'body font',
  clinicians: 'clinicians',
};

/** Human-readable detail lines for an activity entry. */
export function detailLines(detail: Record<string, string> | null): string[] {
  if (!detail) return [];
  return Object.entries(detail).map(([k, v]) => {
    let value = v;
    if (k === 'fields') value = v.split(', ').map((f) => fieldLabels[f] ?? f).join(', ');
    if (k === 'bytes') value = formatBytes(Number(v));
    if (k === 'sha256') value = v.slice(0, 12) + '…';
    return `${detailLabels[k] ?? k}: ${value}`;
  });
}

export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return '';
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
/** Asks for a folder and saves the technical log there; resolves to the file's path, or '' if cancelled. */
export const saveLog = () => Activity.SaveLog() as Promise<string>;
