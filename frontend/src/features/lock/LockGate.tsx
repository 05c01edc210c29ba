import { useEffect, useState, type ReactNode } from 'react';
import { lockStatus } from '../../api/consent';
import { Events, onEvent } from '../../api/system';
import { SigningScreen } from '../consent/SigningScreen';
import { setLockStatus, useLockStatus } from './lockStore';

interface Props {
  children: ReactNode;
  /** Called after the manager unlocks, with the consent just signed (0 if none). */
  onUnlocked: (signedConsentId: number) => void;
}

/** While the backend says the screen is with a patient, nothing but the signing screen is shown. */
export function LockGate({ children, onUnlocked }: Props) {
  const status = useLockStatus();
  // Nothing is drawn until the backend has answered, so a reload while a
  // patient signs never flashes the rest of the app.
  const [loaded, setLoaded] = useState(false);

  useEffect(() => {
    const load = () =>
      lockStatus()
        .then(setLockStatus)
        .catch(() => setLockStatus(null))
        .finally(() => setLoaded(true));
    load();
    return onEvent(Events.dataReplaced, load);
  }, []);

  if (!loaded) return null;
  if (status?.locked) {
    return (
      <SigningScreen
        onUnlocked={(s) => {
          setLockStatus(s);
          onUnlocked(s.signedConsentId);
        }}
      />
    );
  }
  return <>{children}</>;
}
