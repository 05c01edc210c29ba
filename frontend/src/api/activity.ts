import * as Activity from '../../wailsjs/go/service/ActivityService';
import type { AuditPage, VerifyResult } from './types';

export const listActivity = (page: number, pageSize: number) =>
  Activity.List(page, pageSize) as unknown as Promise<AuditPage>;
export const verifyActivity = () => Activity.Verify() as unknown as Promise<VerifyResult>;

const labels: Record<string, string> = {
  'data.create': 'Data file created',
  'brand.update': 'Brand kit changed',
  'brand.logo': 'Logo uploaded',
  'brand.logo.remove': 'Logo removed',
  'backup.create': 'Backup made',
  'backup.auto': 'Automatic daily backup',
  'backup.restore': 'Data restored from a backup',
  'backup.folder': 'Backup folder changed',
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
