import { useEffect, useState } from 'react';
import { mailStatus, MailEvents, type MailStatus } from '../../api/mail';
import { onEvent } from '../../api/system';

/** The mailbox status, kept current by the backend's status events. */
export function useMailStatus(): MailStatus | null {
  const [status, setStatus] = useState<MailStatus | null>(null);
  useEffect(() => {
    let live = true;
    const load = () => mailStatus().then((s) => live && setStatus(s)).catch(() => undefined);
    load();
    const offs = [
      onEvent(MailEvents.status, (s) => live && setStatus(s)),
      onEvent(MailEvents.changed, load),
    ];
    return () => {
      live = false;
      offs.forEach((off) => off());
    };
  }, []);
  return status;
}
