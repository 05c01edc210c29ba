import { createTheme, type CSSVariablesResolver } from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'teal',
  fontFamily: 'Inter, "Noto Sans", system-ui, -apple-system, "Segoe UI", sans-serif',
  headings: { fontFamily: 'Inter, "Noto Sans", system-ui, sans-serif', fontWeight: '600' },
  defaultRadius: 'md',
  colors: {
    teal: [
      '#e6f6f5', '#cdeceb', '#9cd9d6', '#67c5c0', '#3db3ad', '#24a7a0',
      '#0f8f88', '#0b6e6e', '#075a5a', '#034646',
    ],
  },
  primaryShade: 7,
});

// Mantine's grey helper text (gray-6, 3.3:1 on white), field errors and disabled labels
// (gray-5, about 2:1) are too faint to read; these keep 4.5:1 or better on
// white and on the page's light grey.
export const cssVariables: CSSVariablesResolver = () => ({
  variables: {},
  // Error text under fields too: red-6 is 3.3:1, red-8 5.5:1.
  light: { '--mantine-color-dimmed': '#565e65', '--mantine-color-disabled-color': '#5f666d', '--mantine-color-error': '#c92a2a' },
  dark: {},
});
