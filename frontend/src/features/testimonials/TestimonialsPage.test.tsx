import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { consentView, testimonialView } from '../../test/fixtures';
import { setPracticeCountry } from '../../format';
import { contrast } from '../../theme';

const api = vi.hoisted(() => ({
  listTestimonials: vi.fn(),
  updateTestimonial: vi.fn(),
  deleteTestimonial: vi.fn(),
  createTestimonial: vi.fn(),
}));
vi.mock('../../api/testimonials', () => api);
vi.mock('../../api/patients', () => ({ listPatients: () => Promise.resolve([{ patient: { id: 4, fullName: 'Maud Finch' } }]) }));
vi.mock('../../api/consent', () => ({ ConsentEvents: { changed: 'consent:changed' }, listConsents: () => Promise.resolve([]) }));
vi.mock('../../api/drafts', () => ({ createDraft: vi.fn() }));
vi.mock('../../api/system', () => ({ onEvent: () => () => undefined }));

import { TestimonialsPage } from './TestimonialsPage';

/** #rrggbb laid over white at the given opacity, as Mantine's hover tint is. */
function tint(hex: string, alpha: number): string {
  return '#' + [1, 3, 5].map((i) => Math.round(255 - (255 - parseInt(hex.slice(i, i + 2), 16)) * alpha).toString(16).padStart(2, '0')).join('');
}

const signed = testimonialView({ id: 9, patientId: 4, consentId: 3, quote: 'Kind and quick.', source: 'email', nameAs: 'first_name' },
  { patientName: 'Maud Finch', publishable: 1, consent: consentView({ id: 3, status: 'valid', statusText: 'Valid' }) });

const page = () => render(<MantineProvider><Notifications /><TestimonialsPage go={() => undefined} /></MantineProvider>);

describe('TestimonialsPage edit and delete', () => {
  beforeEach(() => {
    Object.values(api).forEach((f) => f.mockReset());
    api.listTestimonials.mockResolvedValue([signed]);
  });

  it('edits the words of a signed testimonial, saying what a change means, and shows the saved card', async () => {
    page();
    fireEvent.click(await screen.findByTestId('testimonial-menu'));
    fireEvent.click(await screen.findByTestId('testimonial-edit'));
    expect(await screen.findByText('Edit the testimonial')).toBeInTheDocument();
    expect(screen.getByTestId('edit-consent-note')).toHaveTextContent('Maud Finch signed consent #3');
    const words = screen.getByLabelText('What the patient said');
    expect(words).toHaveValue('Kind and quick.');
    fireEvent.change(words, { target: { value: 'Kind, quick and gentle.' } });
    api.updateTestimonial.mockResolvedValue({ ...signed, testimonial: { ...signed.testimonial, quote: 'Kind, quick and gentle.' }, publishable: 0 });
    fireEvent.click(screen.getByTestId('testimonial-save'));
    await waitFor(() => expect(api.updateTestimonial).toHaveBeenCalledTimes(1));
    const [id, input] = api.updateTestimonial.mock.calls[0];
    expect(id).toBe(9);
    expect(input).toMatchObject({ patientId: 4, consentId: 3, quote: 'Kind, quick and gentle.', source: 'email', nameAs: 'first_name' });
    expect(await screen.findByText('Kind, quick and gentle.')).toBeInTheDocument();
    expect(screen.getByTestId('testimonial-summary')).toHaveTextContent('Blocked everywhere');
  });

  it('asks before deleting, shows a refusal in place, and removes the card once deleted', async () => {
    page();
    fireEvent.click(await screen.findByTestId('testimonial-menu'));
    const del = await screen.findByTestId('testimonial-delete');
    // Its red reads at 4.5:1 on the menu's white and on its own hover tint
    // (Mantine's "red" gave red-6, 3.3:1; axe caught it on the open menu).
    const red = del.style.getPropertyValue('--menu-item-color');
    expect(contrast(red, '#ffffff')).toBeGreaterThanOrEqual(4.5);
    expect(contrast(red, tint(red, 0.12))).toBeGreaterThanOrEqual(4.5);
    fireEvent.click(del);
    expect(await screen.findByText(/Consent #3 stays as it was signed/)).toBeInTheDocument();
    api.deleteTestimonial.mockRejectedValueOnce({ code: 'conflict', message: 'This testimonial cannot be deleted: the post “Friday smile” (draft) quotes it.' });
    fireEvent.click(screen.getByTestId('delete-testimonial-confirm'));
    expect(await screen.findByTestId('delete-testimonial-error')).toHaveTextContent('“Friday smile” (draft) quotes it');
    expect(screen.getAllByTestId('testimonial-card')).toHaveLength(1);

    api.deleteTestimonial.mockResolvedValueOnce(undefined);
    fireEvent.click(screen.getByTestId('delete-testimonial-confirm'));
    await waitFor(() => expect(screen.queryAllByTestId('testimonial-card')).toHaveLength(0));
    expect(api.deleteTestimonial).toHaveBeenLastCalledWith(9);
  });

  it('says when the patient approved the new words, in the practice\'s order, and nothing when none were approved', async () => {
    const approved = { ...signed, testimonial: { ...signed.testimonial, quote: 'Kind, quick and gentle.' }, wordsApprovedOn: '2026-12-04' };
    for (const [country, shown] of [['GB', 'New words approved on 4 Dec 2026'], ['US', 'New words approved on Dec 4, 2026']] as const) {
      setPracticeCountry(country);
      api.listTestimonials.mockResolvedValue([approved]);
      const { unmount } = page();
      expect(await screen.findByTestId('words-approved')).toHaveTextContent(shown);
      unmount();
    }
    setPracticeCountry('GB');
    api.listTestimonials.mockResolvedValue([signed]);
    page();
    await screen.findByText('Kind and quick.');
    expect(screen.queryByTestId('words-approved')).toBeNull();
  });
});
