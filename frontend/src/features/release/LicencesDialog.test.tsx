import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MantineProvider } from '@mantine/core';
import type { Library } from '../../api/types';

const api = vi.hoisted(() => ({ licences: vi.fn() }));
vi.mock('../../api/system', () => ({ licences: api.licences }));

import { LicencesDialog } from './LicencesDialog';

const libs: Library[] = [
  { name: 'github.com/wailsapp/wails/v2', version: 'v2.16.0', ecosystem: 'Go', licence: 'MIT', text: 'Permission is hereby granted, free of charge (wails)' },
  { name: 'modernc.org/sqlite', version: 'v1.61.1', ecosystem: 'Go', licence: 'BSD-3-Clause', text: 'Redistribution and use in source and binary forms (sqlite)' },
  { name: 'react', version: '19.3.1', ecosystem: 'npm', licence: 'MIT', text: 'MIT License, Copyright (c) Meta Platforms (react)' },
];

const wrap = (ui: React.ReactNode) => render(<MantineProvider>{ui}</MantineProvider>);

describe('LicencesDialog', () => {
  it('lists every library with its licence, finds by name or licence, and shows the full text', async () => {
    api.licences.mockResolvedValue(libs);
    wrap(<LicencesDialog opened onClose={() => undefined} />);
    expect(await screen.findByTestId('licences-count')).toHaveTextContent('3 libraries');
    expect(screen.getByText('modernc.org/sqlite')).toBeInTheDocument();
    expect(screen.getByText('BSD-3-Clause')).toBeInTheDocument();

    fireEvent.change(screen.getByTestId('licences-filter'), { target: { value: 'mit' } });
    expect(screen.getByTestId('licences-count')).toHaveTextContent('2 of 3 libraries');
    expect(screen.queryByText('modernc.org/sqlite')).not.toBeInTheDocument();

    fireEvent.click(screen.getByText('react'));
    await waitFor(() => expect(screen.getByText(/Copyright \(c\) Meta Platforms \(react\)/)).toBeVisible());

    fireEvent.change(screen.getByTestId('licences-filter'), { target: { value: 'gpl' } });
    expect(screen.getByText('No library matches “gpl”.')).toBeInTheDocument();
  });

  it('loads nothing until opened, and says what went wrong when the list cannot be read', async () => {
    api.licences.mockReset();
    const { rerender } = wrap(<LicencesDialog opened={false} onClose={() => undefined} />);
    expect(api.licences).not.toHaveBeenCalled();
    api.licences.mockRejectedValue({ code: 'internal', message: 'PracticePost could not read its list of licences (bad). Reinstall PracticePost to restore it.' });
    rerender(<MantineProvider><LicencesDialog opened onClose={() => undefined} /></MantineProvider>);
    expect(await screen.findByText(/Reinstall PracticePost to restore it/)).toBeInTheDocument();
  });
});
