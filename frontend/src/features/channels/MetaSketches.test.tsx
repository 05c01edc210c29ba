import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/react';
import { MantineProvider } from '@mantine/core';
import { MetaSketches } from './MetaSketches';

describe('MetaSketches', () => {
  it('draws the four Business Settings steps, each with the button to click, and says they are drawings', () => {
    render(<MantineProvider><MetaSketches /></MantineProvider>);
    expect(screen.getByText('Drawings, not Meta’s real screens')).toBeInTheDocument();
    for (const title of ['1. Add a system user', '2. Give it your Page, with full control', '3. Generate a token that never expires', '4. Copy it, then paste it here']) {
      expect(screen.getByText(title)).toBeInTheDocument();
    }
    for (const button of ['Add', 'Assign assets', 'Generate new token', 'Copy']) {
      expect(screen.getByText(button)).toBeInTheDocument();
    }
  });
});
