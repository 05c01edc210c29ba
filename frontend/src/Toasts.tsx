import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { Notifications, useNotifications } from '@mantine/notifications';
import { openDialogClass } from './theme';
import './toasts.css';

/** How long a new toast waits, hidden, before its place is chosen (see below). */
const settle = 50;

/**
 * The app's toasts ("Saved", "Scheduled for …"), one at a time.
 *
 * They take their place in the sidebar, between its links and the practice's
 * name, and the links above make room: they cover nothing. Laid over the
 * page they hid the start of its content, at the top right its buttons, at
 * the top centre a dialog's title.
 *
 * A toast raised while a dialog is open is shown in the dialog instead, at
 * the foot of its box. In the sidebar it sat under the dialog's dimming
 * overlay, hard to read; and the dialog is aria-modal, so a screen reader
 * treats everything outside it as not there and may never read out an
 * alert that appears in the sidebar. Raising the sidebar above the overlay
 * would fix the eye but not the ear; inside the dialog both see and hear it,
 * and its Close button is in the dialog's Tab cycle. (The dialogs are
 * Mantine's Modal, a role="dialog" box over an overlay, not a native
 * <dialog> in the top layer.) A toast already showing when a dialog opens
 * stays in the sidebar: it has been read, and the dialog has the user's
 * attention. When its dialog closes, a toast still showing goes back to the
 * sidebar.
 *
 * The toasts are drawn into one element of their own that is moved whole
 * between the sidebar and a dialog, so a moved toast keeps its timer and is
 * not drawn twice. A new toast stays hidden for a moment before it is
 * placed: a save that closes its dialog and says "Saved" has by then closed
 * the dialog, and the toast goes to the sidebar, not into the dialog that is
 * fading out.
 */
export function Toasts() {
  const slot = useRef<HTMLDivElement>(null);
  const [box] = useState(() => {
    const d = document.createElement('div');
    d.dataset.testid = 'toast-box';
    return d;
  });
  const current = useNotifications().notifications[0]?.id;
  // The open dialog the showing toast was raised in, or null for the sidebar.
  const [dialog, setDialog] = useState<HTMLElement | null>(null);

  useLayoutEffect(() => {
    if (!current) {
      setDialog(null);
      return;
    }
    box.hidden = true;
    const t = window.setTimeout(() => {
      // The top one: dialogs open in the order they are added to the page.
      setDialog([...document.querySelectorAll<HTMLElement>(`.${openDialogClass}[role=dialog]`)].pop() ?? null);
      box.hidden = false;
    }, settle);
    return () => window.clearTimeout(t);
  }, [current, box]);

  useLayoutEffect(() => {
    const place = dialog ?? slot.current;
    if (place && box.parentElement !== place) place.appendChild(box);
    box.className = dialog ? 'pp-toasts-in-dialog' : '';
  }, [dialog, box]);

  // Back to the sidebar when the dialog closes (it loses its mark, then leaves the page).
  useEffect(() => {
    if (!dialog) return;
    const watch = new MutationObserver(() => {
      if (!dialog.isConnected || !dialog.classList.contains(openDialogClass)) setDialog(null);
    });
    watch.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['class'] });
    return () => watch.disconnect();
  }, [dialog]);

  useEffect(() => () => box.remove(), [box]);

  return (
    <div ref={slot}>
      {createPortal(
        <Notifications withinPortal={false} position="bottom-left" limit={1} autoClose={4000} data-testid="toasts"
          styles={{ root: { position: 'static', width: '100%', maxWidth: 'none' }, notification: { marginBottom: 'var(--mantine-spacing-sm)' } }} />,
        box,
      )}
    </div>
  );
}
