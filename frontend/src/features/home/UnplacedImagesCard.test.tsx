import { describe, expect, it, vi } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MantineProvider } from '@mantine/core';
import type { ImageDeclaration, StudioUnplaced } from '../../api/studio';

const team: StudioUnplaced = {
  setId: 'old-team', template: 'team', templateName: 'Meet the team', altText: 'Our hygienist Sam at the front desk', sha256: 'a'.repeat(64),
  sizes: 6, createdAt: '2026-09-01T10:00:00Z', sourcesUnknown: true, wordsUnknown: false, drafts: 2, url: '/media/' + 'a'.repeat(64),
};
const card: StudioUnplaced = {
  ...team, setId: 'old-card', template: 'testimonial', templateName: 'Testimonial quote card', altText: 'A quote', sourcesUnknown: false, wordsUnknown: true, drafts: 0,
};

let waiting: StudioUnplaced[] = [team, card];
const declared: [string, ImageDeclaration][] = [];
vi.mock('../../api/studio', async (orig) => ({
  ...(await orig<typeof import('../../api/studio')>()),
  unplacedImages: () => Promise.resolve(waiting),
  sourceDeclarations: () => Promise.resolve([{ value: 'team', label: 'Our team (staff who agreed to appear)' }, { value: 'stock', label: 'A stock photo we have a licence for' }]),
  declareImage: (id: string, d: ImageDeclaration) => {
    declared.push([id, d]);
    waiting = waiting.filter((w) => w.setId !== id);
    return Promise.resolve(waiting);
  },
}));

import { UnplacedImagesCard } from './UnplacedImagesCard';

const open = () => render(<MantineProvider><UnplacedImagesCard go={() => undefined} /></MantineProvider>);

describe('UnplacedImagesCard', () => {
  it('lists images waiting for their source and the posts they hold; saving says what is missing first', async () => {
    open();
    const rows = await screen.findAllByTestId('unplaced-image');
    expect(rows).toHaveLength(2);
    expect(screen.getByTestId('unplaced-images')).toHaveTextContent('2 posts held until you say what they show');
    const row = rows[0];
    expect(row).toHaveTextContent('Meet the team');
    expect(row).toHaveTextContent('in 2 posts');
    const save = within(row).getByRole('button', { name: 'Save declaration' });
    expect(save).toBeDisabled();
    expect(row).toHaveTextContent('To save, choose what the photo shows.');

    const user = userEvent.setup();
    const select = within(row).getByRole('combobox', { name: 'What does the photo show?' });
    await user.click(select);
    const list = document.getElementById(select.getAttribute('aria-controls') ?? '') as HTMLElement;
    await user.click(within(list).getByText(/Our team/));
    expect(save).not.toBeDisabled();
    await user.click(save);
    await waitFor(() => expect(screen.getAllByTestId('unplaced-image')).toHaveLength(1));
    expect(declared).toEqual([['old-team', { declared: 'team', notPatientWords: false }]]);

    // The hand-typed card: the words must be confirmed as not a patient's.
    const cardRow = screen.getByTestId('unplaced-image');
    expect(cardRow).toHaveTextContent('To save, confirm whose words they are.');
    await user.click(within(cardRow).getByRole('checkbox', { name: /not a patient's/ }));
    await user.click(within(cardRow).getByRole('button', { name: 'Save declaration' }));
    await waitFor(() => expect(screen.queryByTestId('unplaced-images')).toBeNull());
    expect(declared[1]).toEqual(['old-card', { declared: '', notPatientWords: true }]);
  });

  it('is hidden when nothing waits', async () => {
    waiting = [];
    open();
    await new Promise((r) => setTimeout(r, 50));
    expect(screen.queryByTestId('unplaced-images')).toBeNull();
  });
});
