import { describe, expect, it, vi, beforeEach } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInApp } from '../../test/render';
import type { WordingView } from '../../api/consentWording';

const v1: WordingView = {
  country: 'GB', key: 'uk-gdpr-explicit', versionId: 'uk-gdpr-explicit@1', version: 1, title: 'Consent',
  markdown: '# Consent\n\n**Patient:** {{patient_name}}\n', sha256: 'a', savedAt: '2026-11-22T10:00:00Z',
  savedBy: 'PracticePost (shipped wording)', shipped: true, placeholders: ['patient_name'],
};

// Plain functions rather than vi.fn: Vitest reports a spy's rejected result as a test error
// even when the component handles it.
const saves: unknown[][] = [];
let saveResult: () => Promise<unknown> = () => Promise.resolve(v1);
vi.mock('../../api/consentWording', () => ({
  consentWording: () => Promise.resolve(structuredClone(v1)),
  saveConsentWording: (...a: unknown[]) => {
    saves.push(a);
    return saveResult();
  },
  restoreShippedWording: () => Promise.resolve(structuredClone(v1)),
}));
vi.mock('../../api/brand', () => ({
  getBrand: () => Promise.resolve({ kit: { country: 'GB' } }),
}));

import { ConsentWordingPanel } from './ConsentWordingPanel';

function renderPanel() {
  return renderInApp(<ConsentWordingPanel />);
}

describe('ConsentWordingPanel', () => {
  beforeEach(() => {
    saves.length = 0;
  });

  it('shows the wording with its placeholders and enables Save only after a change', async () => {
    renderPanel();
    const box = (await screen.findByLabelText('Form text (Markdown)')) as HTMLTextAreaElement;
    expect(box.value).toContain('{{patient_name}}');
    expect(screen.getByTestId('wording-saved').textContent).toMatch(/Version 1, saved .* by PracticePost \(shipped wording\)/);
    expect(screen.getByRole('button', { name: 'Save' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Restore the shipped wording' })).toBeDisabled();
    await userEvent.type(box, 'Thank you.');
    expect(screen.getByRole('button', { name: 'Save' })).toBeEnabled();
    await userEvent.click(screen.getByRole('button', { name: 'Undo changes' }));
    expect(screen.getByRole('button', { name: 'Save' })).toBeDisabled();
  });

  it('shows every lint problem under the editor and keeps the typed text', async () => {
    saveResult = () =>
      Promise.reject(JSON.stringify({
        code: 'invalid', field: 'markdown',
        message: 'This wording was not saved. Fix these and save again:\n• The form must state the remuneration statement (E4).\n• The form must state the privacy notice link (E7).',
      }));
    renderPanel();
    const box = (await screen.findByLabelText('Form text (Markdown)')) as HTMLTextAreaElement;
    await userEvent.type(box, 'More words.');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(saves).toHaveLength(1));
    expect(saves[0][0]).toBe('GB');
    expect(saves[0][1]).toBe(v1.markdown + 'More words.');
    const problems = await screen.findByTestId('wording-problems');
    expect(problems.textContent).toContain('the remuneration statement (E4)');
    expect(problems.textContent).toContain('the privacy notice link (E7)');
    expect(box.value).toBe(v1.markdown + 'More words.');
    expect(screen.getByTestId('wording-version').textContent).toBe('Version 1');
  });

  it('shows the new version after a save', async () => {
    saveResult = () => Promise.resolve({ ...v1, version: 2, versionId: 'uk-gdpr-explicit@2', markdown: v1.markdown + 'Hi.', shipped: false, savedBy: 'Practice manager' });
    renderPanel();
    const box = await screen.findByLabelText('Form text (Markdown)');
    await userEvent.type(box, 'Hi.');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.getByTestId('wording-version').textContent).toBe('Version 2'));
    expect(screen.getByRole('button', { name: 'Save' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Restore the shipped wording' })).toBeEnabled();
    expect(await screen.findByText(/Saved as version 2/)).toBeInTheDocument();
  });
});
