import { describe, expect, it, vi } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MantineProvider } from '@mantine/core';
import type { StudioConsentChoice, StudioPhoto } from '../../api/studio';

const mary: StudioConsentChoice = {
  consentId: 12, patientName: 'Mary Owen', signedOn: '3 November 2026', faceAllowed: false, beforeAfterAllowed: true, usable: true, reason: '',
  photos: [
    { sha256: 'a'.repeat(64), kind: 'photo', label: 'Smile', url: '/media/' + 'a'.repeat(64) },
    { sha256: 'b'.repeat(64), kind: 'before_after', label: 'Before', url: '/media/' + 'b'.repeat(64) },
  ],
};
const tom: StudioConsentChoice = {
  consentId: 9, patientName: 'Tom Reyes', signedOn: '1 May 2026', faceAllowed: true, beforeAfterAllowed: false, usable: false,
  reason: 'The patient withdrew this consent on 19/11/2026 (email).', photos: [{ sha256: 'c'.repeat(64), kind: 'photo', label: 'Smile', url: '/media/c' }],
};
const opened = (over: Partial<StudioPhoto>): StudioPhoto => ({
  id: 'p1', name: 'Smile', format: 'jpeg', width: 10, height: 10, bytes: 5, source: { kind: 'consent' }, sourceLabel: 'From consent 12', ...over,
});

// Plain functions record the calls: the service is what decides.
let list: StudioConsentChoice[] = [mary, tom];
const fromConsent: unknown[][] = [];
const uploads: unknown[][] = [];
let fromConsentResult: () => Promise<StudioPhoto> = () => Promise.resolve(opened({}));
vi.mock('../../api/studio', async (orig) => ({
  ...(await orig<typeof import('../../api/studio')>()),
  consentPhotos: () => Promise.resolve(list),
  photoFromConsent: (...a: unknown[]) => {
    fromConsent.push(a);
    return fromConsentResult();
  },
  uploadPhoto: (...a: unknown[]) => {
    uploads.push(a);
    return Promise.resolve(opened({ id: 'p2', name: 'room.jpg', source: { kind: 'declared', declared: 'premises' }, sourceLabel: 'No patient: our premises' }));
  },
}));
vi.mock('../../api/brand', () => ({ fileToBase64: () => Promise.resolve('QUJD') }));

import { PhotoSourcePicker } from './PhotoSourcePicker';

const declarations = [
  { value: 'team', label: 'Our team (staff who agreed to appear)' }, { value: 'premises', label: 'Our premises or equipment, no people' },
  { value: 'stock', label: 'A stock photo we have a licence for' }, { value: 'illustration', label: 'An illustration or graphic' },
];

function open() {
  const picked: [StudioPhoto, string][] = [];
  const errors: string[] = [];
  render(
    <MantineProvider>
      <PhotoSourcePicker slot={{ id: 'main', label: 'Photo', required: false }} declarations={declarations} maxMb={40} formatsNote="JPEG or PNG."
        onPicked={(p, u) => picked.push([p, u])} onError={(m) => errors.push(m)} />
    </MantineProvider>,
  );
  return { picked, errors };
}

describe('PhotoSourcePicker', () => {
  it('asks where the photo comes from before any file can be chosen', () => {
    open();
    expect(screen.getByRole('radiogroup', { name: /Where does this photo come from/ })).toBeInTheDocument();
    expect(screen.getByTestId('photo-source-main-why')).toHaveTextContent('cannot be placed');
    expect(screen.queryByTestId('photo-dropzone-main')).toBeNull();
  });

  it('declared: the file picker opens only once what it shows is chosen, and the upload carries the declaration', async () => {
    uploads.length = 0;
    const { picked } = open();
    const user = userEvent.setup();
    await user.click(screen.getByRole('radio', { name: /shows no patient/ }));
    expect(screen.getByTestId('photo-dropzone-waiting-main')).toHaveTextContent('Choose what the photo shows first');
    expect(screen.queryByTestId('photo-dropzone-main')).toBeNull();
    expect(document.querySelector('input[type=file]')).toBeNull();
    await user.click(screen.getByRole('radio', { name: /Our premises/ }));
    const zone = screen.getByTestId('photo-dropzone-main');
    expect(zone).toHaveTextContent('Drag a photo here');
    const input = zone.querySelector('input[type=file]') as HTMLInputElement;
    expect(input).not.toBeDisabled();
    globalThis.URL.createObjectURL ??= () => 'blob:x';
    await user.upload(input, new File(['abc'], 'room.jpg', { type: 'image/jpeg' }));
    await waitFor(() => expect(picked).toHaveLength(1));
    expect(uploads).toEqual([['room.jpg', 'QUJD', 'premises']]);
    expect(picked[0][0].source).toEqual({ kind: 'declared', declared: 'premises' });
  });

  it('from a consent: pick the consent, then its photo; the face box says why it cannot be ticked', async () => {
    fromConsent.length = 0;
    fromConsentResult = () => Promise.resolve(opened({}));
    const { picked } = open();
    const user = userEvent.setup();
    await user.click(screen.getByRole('radio', { name: /signed consent/ }));
    const use = await screen.findByRole('button', { name: 'Use this photo' });
    expect(use).toBeDisabled();
    expect(screen.getByText('Choose the consent first.')).toBeInTheDocument();
    // The withdrawn consent is not offered, with the reason.
    expect(screen.getByTestId('consent-photos-unusable')).toHaveTextContent('Tom Reyes (consent 9, signed 1 May 2026): The patient withdrew');

    const picker = screen.getByRole('combobox', { name: 'Consent' });
    await user.click(picker);
    const options = document.getElementById(picker.getAttribute('aria-controls') ?? '') as HTMLElement;
    expect(within(options).queryByText(/Tom Reyes/)).toBeNull();
    await user.click(within(options).getByText(/Mary Owen/));
    expect(screen.getByText('Choose one of the consent’s photos first.')).toBeInTheDocument();
    const face = screen.getByRole('checkbox', { name: "Shows the patient's face" });
    expect(face).toBeDisabled();
    expect(screen.getByText(/Mary Owen's consent does not allow their face to be shown/)).toBeInTheDocument();

    // The photos are radios: reachable and chosen with the keyboard.
    const before = screen.getByRole('radio', { name: 'Before (before and after)' });
    before.focus();
    await user.keyboard(' ');
    expect(before).toHaveAttribute('aria-checked', 'true');
    expect(screen.getByText(/Recorded as a before-and-after photo/)).toBeInTheDocument();
    expect(use).not.toBeDisabled();
    await user.click(use);
    await waitFor(() => expect(picked).toHaveLength(1));
    expect(fromConsent).toEqual([[12, 'b'.repeat(64), false]]);
    expect(picked[0][1]).toBe('/media/' + 'b'.repeat(64));
  });

  it('shows the service’s refusal and places nothing', async () => {
    fromConsentResult = () => Promise.reject({ code: 'invalid', field: 'source', message: 'The consent expired at the end of 2 November 2026.' });
    const { picked, errors } = open();
    const user = userEvent.setup();
    await user.click(screen.getByRole('radio', { name: /signed consent/ }));
    const picker = await screen.findByRole('combobox', { name: 'Consent' });
    await user.click(picker);
    await user.click(within(document.getElementById(picker.getAttribute('aria-controls') ?? '') as HTMLElement).getByText(/Mary Owen/));
    await user.click(screen.getByRole('radio', { name: 'Smile' }));
    await user.click(screen.getByRole('button', { name: 'Use this photo' }));
    await waitFor(() => expect(errors).toContain('The consent expired at the end of 2 November 2026.'));
    expect(picked).toHaveLength(0);
  });

  it('with no usable consent, says how to get one', async () => {
    list = [tom];
    open();
    await userEvent.setup().click(screen.getByRole('radio', { name: /signed consent/ }));
    expect(await screen.findByTestId('consent-photos-none-main')).toHaveTextContent('Ask for consent');
    list = [mary, tom];
  });
});
