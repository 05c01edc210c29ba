import { describe, expect, it, vi, beforeEach } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInApp } from '../../test/render';
import type { BrandView } from '../../api/types';

const view: BrandView = {
  kit: {
    practiceName: 'Harbour Dental', address: '', phone: '', email: '', website: '', country: 'GB', updatedAt: '',
    disclaimer: '', hashtags: [], headingFont: 'Inter', bodyFont: 'Inter', logoSha256: '', clinicians: [],
    colors: { primary: '#0B6E6E', secondary: '#E7F3F1', accent: '#F2A541', text: '#1F2933', background: '#FFFFFF' },
  },
  warnings: [],
  fonts: [{ name: 'Inter', kind: 'sans', regular: 'a', bold: 'b', italic: 'c', license: 'l' }],
  regulators: ['GDC'],
  logoUrl: '',
};

// A plain function rather than a vi.fn: Vitest reports a spy's rejected result as a test error
// even when the component handles it.
const calls: unknown[][] = [];
let saveResult: () => Promise<unknown> = () => Promise.resolve(structuredClone(view));
const saveBrand = (...a: unknown[]) => {
  calls.push(a);
  return saveResult();
};
vi.mock('../../api/brand', () => ({
  getBrand: () => Promise.resolve(structuredClone(view)),
  checkBrand: () => Promise.resolve(structuredClone(view)),
  saveBrand: (...a: unknown[]) => saveBrand(...a),
  uploadLogo: vi.fn(),
  removeLogo: vi.fn(),
  fileToBase64: vi.fn(),
}));

import { BrandKitForm } from './BrandKitForm';

function renderForm() {
  return renderInApp(<BrandKitForm />);
}

describe('BrandKitForm', () => {
  beforeEach(() => {
    calls.length = 0;
  });

  it('shows the backend message next to the field it names and keeps the typed values', async () => {
    saveResult = () =>
      Promise.reject(
        '{"code":"invalid","field":"website","message":"Enter the website as a full address, for example https://www.example-dental.co.uk."}',
      );
    renderForm();
    const website = await screen.findByLabelText('Website');
    await userEvent.type(website, 'harbourdental');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(calls).toHaveLength(1));
    expect((calls[0][0] as { website: string }).website).toBe('harbourdental');
    const msgs = await screen.findAllByText(/Enter the website as a full address/);
    expect(msgs.some((m) => m.closest('.mantine-TextInput-root'))).toBe(true);
    expect((screen.getByLabelText('Website') as HTMLInputElement).value).toBe('harbourdental');
    expect(screen.getByText('You have unsaved changes.')).toBeInTheDocument();
  });

  it('enables Save only when something changed', async () => {
    renderForm();
    const name = await screen.findByLabelText(/Practice name/);
    expect(screen.getByRole('button', { name: 'Save' })).toBeDisabled();
    await userEvent.type(name, ' Care');
    expect(screen.getByRole('button', { name: 'Save' })).toBeEnabled();
  });
});
