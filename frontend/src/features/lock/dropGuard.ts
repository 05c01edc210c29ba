// A file dropped on the webview anywhere but a drop zone would make the
// webview open that file in place of PracticePost: on the signing screen
// that throws the patient out of the form. Drop zones handle (and cancel)
// their own events before these window listeners see them; everything
// else is cancelled here, with the "no drop" cursor while dragging.

function refuse(e: Event) {
  if (e.defaultPrevented) return; // a drop zone took it
  e.preventDefault();
  const dt = (e as DragEvent).dataTransfer;
  if (dt) dt.dropEffect = 'none';
}

/** Installs the guard on target; returns the uninstall function. */
export function installDropGuard(target: Window): () => void {
  target.addEventListener('dragover', refuse);
  target.addEventListener('drop', refuse);
  return () => {
    target.removeEventListener('dragover', refuse);
    target.removeEventListener('drop', refuse);
  };
}
