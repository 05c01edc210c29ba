import * as Recovery from '../../wailsjs/go/service/RecoveryService';
import type { RecoveryKeyView, RecoveryStatus } from './types';

export const recoveryStatus = () => Recovery.Status() as unknown as Promise<RecoveryStatus>;
export const makeRecoveryKey = () => Recovery.Make() as unknown as Promise<RecoveryKeyView>;
export const saveRecoverySheet = (words: string[]) => Recovery.SaveSheet(words.join(' '));
export const unlockWithRecoveryKey = (words: string) => Recovery.Unlock(words);
