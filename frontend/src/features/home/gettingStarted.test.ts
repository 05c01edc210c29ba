import { describe, expect, it } from 'vitest';
import { gettingStarted, type StartFacts } from './gettingStarted';

const none: StartFacts = {
  practiceName: '', address: '', contact: false, privacyNotice: false, pinSet: false, logo: false, clinicians: 0, channels: 0,
  firstPost: false, recoveryKey: false, lastBackup: '', lastBackupAutomatic: false,
};
const when = (iso: string) => `[${iso}]`;

describe('getting started', () => {
  it('lists every prerequisite in the order work needs it, each with its screen', () => {
    const steps = gettingStarted(none, when);
    expect(steps.map((s) => s.key)).toEqual(['details', 'privacy', 'pin', 'logo', 'clinicians', 'channel', 'post', 'recovery', 'backup']);
    expect(steps.every((s) => !s.done && s.to && s.note)).toBe(true);
    expect(steps.find((s) => s.key === 'privacy')!.to).toBe('consents');
    expect(steps.find((s) => s.key === 'pin')!.to).toBe('settings/lock');
  });

  it('counts the automatic backup as the first backup, and says where to keep another copy', () => {
    const b = gettingStarted({ ...none, lastBackup: '2026-12-06T06:14:00Z', lastBackupAutomatic: true }, when).find((s) => s.key === 'backup')!;
    expect(b.done).toBe(true);
    expect(b.note).toContain('Automatic backup made [2026-12-06T06:14:00Z]');
    expect(b.note).toContain('USB stick');
  });

  it('asks for the recovery key before the first backup, done once it is made', () => {
    expect(gettingStarted(none, when).find((s) => s.key === 'recovery')!.done).toBe(false);
    expect(gettingStarted({ ...none, recoveryKey: true }, when).find((s) => s.key === 'recovery')!.done).toBe(true);
  });

  it('needs the whole of the practice details, not only the name', () => {
    expect(gettingStarted({ ...none, practiceName: 'Harbour Dental' }, when)[0].done).toBe(false);
    expect(gettingStarted({ ...none, practiceName: 'Harbour Dental', address: '12 Quay St', contact: true }, when)[0].done).toBe(true);
  });
});
