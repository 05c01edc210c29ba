import { describe, expect, it, vi } from 'vitest';
import { useState } from 'react';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MantineProvider } from '@mantine/core';
import type { StudioQuoteSource, StudioTemplate } from '../../api/studio';
import { consentView, firstNameOnlySource, studioSetup, testimonialView } from '../../test/fixtures';

const source = firstNameOnlySource({ testimonialId: 7 });
const tv = (id: number, status: string | null) =>
  testimonialView({ id, quote: id === 7 ? source.quote : 'Kind and quick.', createdAt: `2026-0${id % 9}-01` }, {
    patientName: id === 7 ? 'Jane Smith' : 'Tom Reilly', consent: status ? consentView({ status }) : null });

// Plain functions: a rejected vi.fn result is reported as a test error even when handled.
let fromTestimonial: (id: number) => Promise<StudioQuoteSource> = () => Promise.resolve(source);
const asked: number[] = [];
vi.mock('../../api/studio', async (orig) => ({
  ...(await orig<typeof import('../../api/studio')>()),
  quoteFromTestimonial: (id: number) => {
    asked.push(id);
    return fromTestimonial(id);
  },
}));
vi.mock('../../api/testimonials', () => ({ listTestimonials: () => Promise.resolve([tv(7, 'valid'), tv(8, 'revoked')]) }));

import { DesignForm } from './DesignForm';
import { emptyBackground, type EditorState } from './design';

const template: StudioTemplate = {
  id: 'testimonial', name: 'Testimonial quote card', description: '',
  fields: [
    { id: 'quote', label: 'Quote', kind: 'text', required: true, maxLen: 600, default: '' },
    { id: 'attribution', label: 'Patient name as consented', kind: 'attribution', required: false, maxLen: 0, default: '' },
  ],
  photos: [], layouts: [{ id: 'classic', name: 'Classic' }],
};
const setup = studioSetup({
  templates: [template], sizes: [], clinicians: [], colorRoles: [], backgrounds: [{ value: 'solid', label: 'Solid colour' }],
  attributionModes: [
    { value: 'full_name', label: 'Full name' }, { value: 'first_name', label: 'First name' },
    { value: 'initials', label: 'Initials' }, { value: 'anonymous', label: 'Anonymous' },
  ],
  attributionNote: 'Words typed by hand are checked.', maxPhotoMb: 40, photoFormatsNote: '',
});

let latest: EditorState | null = null;
function Harness() {
  const [state, setState] = useState<EditorState>({
    template: 'testimonial', layout: 'classic', fields: { quote: '' }, attribution: { mode: 'full_name', name: '' },
    background: emptyBackground, photos: {}, source: null,
  });
  latest = state;
  return <DesignForm setup={setup} template={template} state={state} onChange={setState} fieldErrors={{}} />;
}

const open = () => render(<MantineProvider><Harness /></MantineProvider>);

/** Opens the picker once the testimonials are loaded and returns its list. */
async function pickerList(user: ReturnType<typeof userEvent.setup>) {
  const picker = screen.getByRole('combobox', { name: 'From a testimonial' });
  await waitFor(() => expect(picker.getAttribute('placeholder')).toContain('choose a testimonial'));
  await user.click(picker);
  return waitFor(() => {
    const list = document.getElementById(picker.getAttribute('aria-controls') ?? '');
    expect(list).not.toBeNull();
    return list as HTMLElement;
  });
}

describe('quote card from a testimonial', () => {
  it('prefills the approved words and offers only the names the consent allows, saying why', async () => {
    asked.length = 0;
    fromTestimonial = () => Promise.resolve(source);
    open();
    const user = userEvent.setup();
    const list = await pickerList(user);
    // A testimonial whose consent was withdrawn is listed but cannot be chosen.
    expect(within(list).getByText(/consent withdrawn/).closest('[role="option"]')).toHaveAttribute('data-combobox-disabled');
    await user.click(within(list).getByText(/Jane Smith/));
    await waitFor(() => expect(screen.getByTestId('quote-from-testimonial')).toHaveValue(source.quote));
    expect(asked).toEqual([7]);
    expect(screen.getByTestId('quote-from-testimonial')).toHaveAttribute('readonly');
    expect(screen.getByTestId('attribution-source')).toHaveTextContent('Jane Smith');
    expect(screen.getByTestId('consent-naming')).toHaveTextContent('first name only (consent signed 1 March 2026). Full name is not offered.');
    expect(screen.getByRole('radio', { name: 'Full name' })).toBeDisabled();
    expect(screen.getByRole('radio', { name: 'First name' })).toBeChecked();
    expect(latest?.source?.testimonialId).toBe(7);

    await user.click(screen.getByRole('button', { name: 'Type by hand instead' }));
    expect(latest?.source).toBeNull();
    expect(screen.getByRole('radio', { name: 'Full name' })).not.toBeDisabled();
    expect(screen.getByRole('textbox', { name: /^Quote/ })).not.toHaveAttribute('readonly');
  });

  it('shows the reason when a testimonial cannot be used, and changes nothing', async () => {
    fromTestimonial = () => Promise.reject({ code: 'invalid', field: 'testimonial', message: 'The patient withdrew this consent on 19/03/2026 (email). This testimonial can no longer be used on any image or post; choose another.' });
    open();
    const user = userEvent.setup();
    await user.click(within(await pickerList(user)).getByText(/Jane Smith/));
    expect(await screen.findByText(/withdrew this consent/)).toBeInTheDocument();
    expect(latest?.source).toBeNull();
    expect(latest?.fields.quote).toBe('');
  });
});

describe('quote card typed by hand', () => {
  it('asks whose words they are: a patient is sent to the testimonial picker, a team member is recorded', async () => {
    open();
    const user = userEvent.setup();
    const group = screen.getByRole('radiogroup', { name: 'Whose words are these?' });
    expect(latest?.wordsOf ?? '').toBe('');
    await user.click(within(group).getByRole('radio', { name: 'A patient' }));
    expect(screen.getByText(/only from their testimonial/)).toBeInTheDocument();
    expect(latest?.wordsOf).toBe('patient');
    await user.click(within(group).getByRole('radio', { name: 'A team member or a public figure' }));
    expect(latest?.wordsOf).toBe('not_patient');
    expect(screen.getByRole('textbox', { name: 'Their name' })).toBeInTheDocument();
  });
});
