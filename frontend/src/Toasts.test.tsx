import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useState } from 'react';
import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Button, MantineProvider, Modal } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { Toasts } from './Toasts';
import { theme } from './theme';

// A sidebar holding the toasts, and a page with a dialog whose buttons raise them.
function Shell() {
  const [open, setOpen] = useState(false);
  return (
    <MantineProvider theme={theme}>
      <nav aria-label="Sidebar"><Toasts /></nav>
      <Button onClick={() => setOpen(true)}>Open</Button>
      <Modal opened={open} onClose={() => setOpen(false)} title="New time">
        <Button onClick={() => notifications.show({ message: 'Copied.', autoClose: 1500 })}>Copy</Button>
        {/* A save that closes its dialog, then says so, once the (bound) call has answered. */}
        <Button onClick={async () => { await Promise.resolve(); setOpen(false); notifications.show({ message: 'Saved.' }); }}>Save</Button>
      </Modal>
    </MantineProvider>
  );
}

const sidebar = () => screen.getByRole('navigation', { name: 'Sidebar' });

describe('toasts', () => {
  // The app's theme opens dialogs in index.html's #pp-popups.
  beforeEach(() => {
    const popups = document.createElement('div');
    popups.id = 'pp-popups';
    document.body.appendChild(popups);
  });
  afterEach(() => {
    act(() => notifications.clean());
    document.getElementById('pp-popups')?.remove();
  });

  it('a toast raised while a dialog is open shows in the dialog, where a screen reader reads it, and goes back to the sidebar when the dialog closes', async () => {
    render(<Shell />);
    await userEvent.click(screen.getByRole('button', { name: 'Open' }));
    const dialog = await screen.findByRole('dialog', { name: 'New time' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Copy' }));
    const toast = await within(dialog).findByRole('alert');
    expect(toast).toHaveTextContent('Copied.');
    expect(sidebar()).not.toContainElement(toast);
    // Its Close button is reached inside the dialog.
    expect(toast).toContainElement(within(dialog).getAllByRole('button', { name: 'Close' }).find((b) => toast.contains(b)) ?? null);
    await userEvent.keyboard('{Escape}');
    await waitFor(() => expect(within(sidebar()).getByRole('alert')).toHaveTextContent('Copied.'));
    // Moved, it keeps its timer and closes on time.
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull(), { timeout: 3000 });
  });

  it('a save that closes its dialog and says so shows in the sidebar, not in the dialog fading out', async () => {
    render(<Shell />);
    await userEvent.click(screen.getByRole('button', { name: 'Open' }));
    const dialog = await screen.findByRole('dialog', { name: 'New time' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(within(sidebar()).getByRole('alert')).toHaveTextContent('Saved.'));
    expect(dialog).not.toContainElement(within(sidebar()).getByRole('alert'));
  });

  it('a toast already showing when a dialog opens stays in the sidebar', async () => {
    render(<Shell />);
    act(() => { notifications.show({ message: 'Patient added.' }); });
    await waitFor(() => expect(within(sidebar()).getByRole('alert')).toHaveTextContent('Patient added.'));
    await userEvent.click(screen.getByRole('button', { name: 'Open' }));
    const dialog = await screen.findByRole('dialog', { name: 'New time' });
    await new Promise((r) => setTimeout(r, 100));
    expect(within(sidebar()).getByRole('alert')).toHaveTextContent('Patient added.');
    expect(within(dialog).queryByRole('alert')).toBeNull();
  });
});
