import { useEffect, useState, type ReactNode } from 'react';
import { lockActive, lockStatus } from '../../api/consent';
import { onLockedError } from '../../api/errors';
import { Events, onEvent, signalFirstScreen } from '../../api/system';
import { SigningScreen } from '../consent/SigningScreen';
import { approvalScreen } from '../../api/testimonials';
import type { LockStatus, QuoteApprovalScreen as ApprovalView } from '../../api/types';
import { QuoteApprovalScreen } from '../testimonials/QuoteApprovalScreen';
import { watchActivity } from './activity';
import { setLockStatus, useLockStatus } from './lockStore';

interface Props {
  children: ReactNode;
  /** Called after the manager unlocks: the status says what the patient just signed or approved. */
  onUnlocked: (s: LockStatus) => void;
}

/**
 * While the backend says PracticePost is locked (a patient holds the
 * screen, or it was left idle), nothing but the lock screen is shown, and
 * the app's pages are unmounted.
 */
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
    const offs = [onEvent(Events.dataReplaced, load), onEvent(Events.locked, load), onLockedError(load)];
    return () => offs.forEach((off) => off());
  }, []);

  const locked = !!status?.locked;
  useEffect(() => {
    if (!loaded || locked) return;
    // A refused ping means the idle time had passed: the error hook above
    // reloads the status and the lock screen appears.
    return watchActivity(window, () => void lockActive().catch(() => lockStatus().then(setLockStatus).catch(() => undefined)));
  }, [loaded, locked]);

  if (!loaded) return null;
  if (locked) {
    signalFirstScreen();
    return (
      <HandedScreen
        onUnlocked={(s) => {
          setLockStatus(s);
          onUnlocked(s);
        }}
      />
    );
  }
  return <>{children}</>;
}

/**
 * What the locked screen shows: edited words waiting for the patient's
 * approval, or else the consent form (which itself shows the plain lock
 * screen when no form waits).
 */
function HandedScreen({ onUnlocked }: { onUnlocked: (s: LockStatus) => void }) {
  const [approval, setApproval] = useState<ApprovalView | null | undefined>(undefined);
  useEffect(() => {
    approvalScreen()
      .then((v) => setApproval(v.active ? v : null))
      .catch(() => setApproval(null));
  }, []);
  if (approval === undefined) return null;
  if (approval) return <QuoteApprovalScreen view={approval} onUnlocked={onUnlocked} />;
  return <SigningScreen onUnlocked={onUnlocked} />;
}
