import * as Backup from '../../wailsjs/go/service/BackupService';

export const backupOverview = () => Backup.Overview();
export const setBackupFolder = (folder: string) => Backup.SetFolder(folder);
export const chooseBackupFolder = () => Backup.ChooseFolder();
export const backupNow = () => Backup.BackupNow();
export const chooseRestoreFile = () => Backup.ChooseRestoreFile();
export const restoreBackup = (path: string) => Backup.Restore(path) as Promise<{ safetyCopy: string }>;
export const restoreBackupWithRecovery = (path: string, words: string) =>
  Backup.RestoreWithRecovery(path, words) as Promise<{ safetyCopy: string }>;
