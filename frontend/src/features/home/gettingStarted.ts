// Home's "Getting started": every prerequisite in the order work needs it,
// each with the screen that does it. Facts in, steps out, so it is tested
// without the screens.

export interface StartFacts {
  practiceName: string;
  address: string;
  contact: boolean; // an email or phone
  privacyNotice: boolean; // consent settings: the privacy notice's web address
  pinSet: boolean;
  logo: boolean;
  clinicians: number;
  channels: number;
  firstPost: boolean; // a post scheduled or published
  recoveryKey: boolean; // the practice's recovery key was made
  lastBackup: string; // when the newest backup was made, "" if none
  lastBackupAutomatic: boolean;
}

export interface Step {
  key: string;
  label: string;
  done: boolean;
  to: string;
  /** Why it matters or what was done: shown beside the step. */
  note: string;
}

export function gettingStarted(f: StartFacts, when: (iso: string) => string): Step[] {
  return [
    {
      key: 'details', label: 'Enter your practice details', to: 'settings/brand',
      done: !!f.practiceName && !!f.address && f.contact,
      note: 'Name, address and an email or phone: they go on every consent form.',
    },
    {
      key: 'privacy', label: 'Add your privacy notice address', to: 'consents',
      done: f.privacyNotice,
      note: 'Consent forms link to it; until it is set, a form cannot be handed to a patient.',
    },
    {
      key: 'pin', label: 'Set a manager PIN', to: 'settings/lock',
      done: f.pinSet,
      note: 'It locks the app while a patient signs on this computer, and when it is left alone.',
    },
    {
      key: 'logo', label: 'Upload your logo', to: 'settings/brand',
      done: f.logo, note: 'It goes on every image the Studio makes.',
    },
    {
      key: 'clinicians', label: 'Add your clinicians and their registration numbers', to: 'settings/brand',
      done: f.clinicians > 0, note: 'Adverts must name the clinician and their regulator.',
    },
    {
      key: 'channel', label: 'Connect a channel (Facebook, Mastodon…)', to: 'channels',
      done: f.channels > 0, note: 'Where your posts go out.',
    },
    {
      key: 'post', label: 'Write and schedule your first post', to: 'drafts',
      done: f.firstPost, note: 'Every post is checked for patient details and consent before it goes out.',
    },
    {
      key: 'recovery', label: 'Make your recovery key and keep it safe', to: 'settings/backup',
      done: f.recoveryKey,
      note: 'Patient data is locked to this computer; the 14 words open it, or a backup, on another one.',
    },
    {
      key: 'backup', label: 'Make your first backup', to: 'settings/backup',
      done: !!f.lastBackup,
      note: f.lastBackup
        ? `${f.lastBackupAutomatic ? 'Automatic backup' : 'Backup'} made ${when(f.lastBackup)}. Keep a copy somewhere else too (a USB stick or network drive): Settings → Backup.`
        : 'PracticePost makes one by itself each day; keep a copy somewhere else too.',
    },
  ];
}
