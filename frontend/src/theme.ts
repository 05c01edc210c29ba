import { createTheme } from '@mantine/core';

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
