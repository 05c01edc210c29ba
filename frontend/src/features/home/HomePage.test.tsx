import { describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/react';
import { MantineProvider } from '@mantine/core';
import type { SystemInfo, VerifyResult, RecoveryStatus } from '../../api/types';

// The other Home cards have their own tests; here they stay out of the way.
vi.mock('./AttentionCard', () => ({ AttentionCard: () => null }));
vi.mock('./UnplacedImagesCard', () => ({ UnplacedImagesCard: () => null }));
vi.mock('./WeekCard', () => ({ WeekCard: () => null }));
vi.mock('../channels/ChannelReminders', () => ({ ChannelReminders: () => null }));
vi.mock('../consent/ExpiringCard', () => ({ ExpiringCard: () => null }));
vi.mock('../consent/CopiesDueCard', () => ({ CopiesDueCard: () => null }));
vi.mock('../mail/WithdrawalHolds', () => ({ WithdrawalHolds: () => null }));
vi.mock('../mail/MailboxTrouble', () => ({ MailboxTrouble: () => null }));
vi.mock('../inbox/InboxCard', () => ({ InboxCard: () => null }));

let info: SystemInfo = { version: 'x', dataDir: '/home/ann/.config/PracticePost', logFile: '', openError: '', openErrorCode: '', dataFolderSync: '', dataFolderWarning: '', commit: '', buildDate: '' };
let chain: VerifyResult = { ok: true, entries: 12, plain: 0, keyedFrom: 1, keyed: true, anchored: true, summary: 'All 12 entries are intact.' };
vi.mock('../../api/system', async (orig) => ({ ...(await orig<typeof import('../../api/system')>()), systemInfo: () => Promise.resolve(info) }));
vi.mock('../../api/activity', async (orig) => ({ ...(await orig<typeof import('../../api/activity')>()), verifyActivity: () => Promise.resolve(chain) }));
vi.mock('../../api/backup', async (orig) => ({
  ...(await orig<typeof import('../../api/backup')>()),
  backupOverview: () => Promise.resolve({ folder: '', folderIsSet: false, autoFolder: '', safetyFolder: '', dataFile: '', backups: [], lastBackup: null, automaticKeep: 7 }),
}));

let recovery: RecoveryStatus = { needsKey: false, made: false, madeAt: null };
vi.mock('../../api/recovery', () => ({ recoveryStatus: () => Promise.resolve(recovery) }));

import { HomePage } from './HomePage';

const open = () => render(<MantineProvider><HomePage brand={null} go={() => undefined} /></MantineProvider>);

describe('HomePage', () => {
  it('lists making the recovery key among the first steps, done once it is made', async () => {
    recovery = { needsKey: false, made: false, madeAt: null };
    const { unmount } = open();
    expect(await screen.findByText('0 of 9 done')).toBeInTheDocument();
    expect(screen.getByText('Make your recovery key and keep it safe')).toBeInTheDocument();
    unmount();
    recovery = { needsKey: false, made: true, madeAt: '2026-12-06T09:00:00Z' };
    open();
    expect(await screen.findByText('1 of 9 done')).toBeInTheDocument();
  });

  it('warns when the data folder is inside a syncing service, in the words the app gives', async () => {
    info = { ...info, dataDir: '/Users/ann/Dropbox/PracticePost', dataFolderSync: 'Dropbox', dataFolderWarning: 'Move the data folder out of Dropbox; backups are sealed and safe to sync.' };
    open();
    const warning = await screen.findByTestId('synced-folder-warning');
    expect(warning).toHaveTextContent('Your data folder is inside Dropbox');
    expect(warning).toHaveTextContent('backups are sealed and safe to sync');
  });

  it('shows no warning for a private data folder, and says what the log check found', async () => {
    info = { ...info, dataFolderSync: '', dataFolderWarning: '' };
    chain = { ok: false, entries: 10, plain: 0, keyedFrom: 1, keyed: false, anchored: false, break: { id: 11, kind: 'truncated', reason: 'x' },
      summary: 'Entries were removed from the end of the activity log.' };
    open();
    expect(await screen.findByText('Entries were removed from the end of the activity log.')).toBeInTheDocument();
    expect(screen.queryByTestId('synced-folder-warning')).toBeNull();
  });
});
