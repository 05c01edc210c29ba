import * as Recovery from '../../wailsjs/go/service/RecoveryService';

export const recoveryStatus = () => Recovery.Status();
export const makeRecoveryKey = () => Recovery.Make();
export const saveRecoverySheet = (words: string[]) => Recovery.SaveSheet(words.join(' '));
export const unlockWithRecoveryKey = (words: string) => Recovery.Unlock(words);
