import * as Backup from '../../wailsjs/go/service/BackupService';
import type { BackupFile, BackupOverview } from './types';

export const backupOverview = () => Backup.Overview() as unknown as Promise<BackupOverview>;
export const setBackupFolder = (folder: string) => Backup.SetFolder(folder) as unknown as Promise<BackupOverview>;
export const chooseBackupFolder = () => Backup.ChooseFolder() as unknown as Promise<BackupOverview>;
export const backupNow = () => Backup.BackupNow() as unknown as Promise<BackupFile>;
export const chooseRestoreFile = () => Backup.ChooseRestoreFile();
export const restoreBackup = (path: string) => Backup.Restore(path) as Promise<{ safetyCopy: string }>;
export const restoreBackupWithRecovery = (path: string, words: string) =>
  Backup.RestoreWithRecovery(path, words) as Promise<{ safetyCopy: string }>;
