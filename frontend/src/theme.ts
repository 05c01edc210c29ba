import { Alert, Anchor, createTheme, darken, Drawer, Menu, Modal, Notification, Portal, type CSSVariablesResolver } from '@mantine/core';

/**
 * Red for words that warn or destroy ("Delete…" in a menu, errors under
 * fields): 5.4:1 on white. Mantine's red menu item takes red-6, 3.3:1.
 */
export const dangerText = '#c92a2a';

/** The class on an open Modal's dialog box (its role="dialog" element). */
export const openDialogClass = 'pp-dialog-open';

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
    // Mantine's orange, but its two darkest shades (used for warning text,
    // "orange.8" and "orange.9") darker: 3.6 and 4.3:1 on white, 2.9:1 on a
    // selected row's teal, become 6.6 and 8:1 (5.3 and 6.3:1 on teal).
    orange: ['#fff4e6', '#ffe8cc', '#ffd8a8', '#ffc078', '#ffa94d', '#ff922b', '#fd7e14', '#f76707', '#a33a0b', '#8a3a00'],
  },
  primaryShade: 7,
  components: {
    // Mantine's close buttons are bare × icons: a screen reader announced
    // them as "button" with no name (axe: button-name).
    Modal: Modal.extend({
      defaultProps: { closeButtonProps: { 'aria-label': 'Close' } },
      // An open dialog's box is marked, so the toasts (Toasts.tsx) tell a
      // dialog that is open from one still fading out after it closed.
      classNames: (_theme, props) => (props.opened ? { content: openDialogClass } : {}),
    }),
    Drawer: Drawer.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } }),
    Alert: Alert.extend({ defaultProps: { closeButtonLabel: 'Close' } }),
    // Menu items are reached by arrow keys only by default (tabIndex -1); a
    // user who knows only Tab, Enter and Space could open a menu and then
    // do nothing in it. The open menu traps focus, so Tab cycles its items.
    // Without the invisible focus placeholder (a tabindex child the menu
    // role may not hold; axe: aria-required-children) the first item takes
    // the focus when the menu opens.
    Menu: Menu.extend({ defaultProps: { menuItemTabIndex: 0, withInitialFocusPlaceholder: false } }),
    // Links inside sentences differed from the grey around them by colour
    // alone (1.1:1 against the helper text; axe: link-in-text-block).
    Anchor: Anchor.extend({ defaultProps: { underline: 'always' } }),
    // Dialogs, menus, pickers and toasts open in index.html's named region
    // beside the app, not loose in <body>, so what they show is inside a
    // landmark like the rest of the page (axe: region). Where that element
    // is missing (unit tests) Mantine makes its own, as before.
    Portal: Portal.extend({ defaultProps: { target: '#pp-popups' } }),
    // Toasts: the same nameless ×, and their message in gray-6 (3.3:1).
    Notification: Notification.extend({
      defaultProps: { closeButtonProps: { 'aria-label': 'Close' } },
      styles: { description: { color: 'var(--mantine-color-dimmed)' } },
    }),
  },
});

// Mantine's grey helper text (gray-6, 3.3:1 on white), field errors and disabled labels
// (gray-5, about 2:1) are too faint to read; these keep 4.5:1 or better on
// white and on the page's light grey.
/** WCAG contrast ratio of two #rrggbb colours. */
export function contrast(a: string, b: string): number {
  const lum = (hex: string) => {
    const [r, g, b2] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
      .map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r + 0.7152 * g + 0.0722 * b2;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** Darkens colour until it reads at 4.5:1 or better on against. */
function readable(color: string, against: string): string {
  let c = color;
  for (let i = 0; i < 20 && contrast(c, against) < 4.6; i++) c = toHex(darken(c, 0.05));
  return c;
}

function toHex(c: string): string {
  if (c.startsWith('#')) return c;
  const [r, g, b] = (c.match(/\d+(\.\d+)?/g) ?? ['0', '0', '0']).slice(0, 3).map((v) => Math.round(Number(v)));
  return '#' + [r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('');
}

// Mantine's "light" badges and buttons put shade 9 on shade 1 (2 on hover),
// and its "filled" ones white on shade 7: for red, orange, yellow, green,
// lime and cyan that is 2.1 to 4.4:1 (axe: color-contrast). Each colour's
// pair is darkened until it reads at 4.5:1, so every badge and button in the
// app passes whatever colour a screen gives it; teal, grey and the others
// already pass and are left as they are.
function readableVariants(colors: Record<string, readonly string[]>): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const [name, shades] of Object.entries(colors)) {
    if (name === 'dark' || shades.length < 10) continue;
    const light = readable(shades[9], shades[2]);
    if (light !== shades[9]) vars[`--mantine-color-${name}-light-color`] = light;
    const filled = readable(shades[7], '#ffffff');
    if (filled !== shades[7]) {
      vars[`--mantine-color-${name}-filled`] = filled;
      vars[`--mantine-color-${name}-filled-hover`] = toHex(darken(filled, 0.15));
      vars[`--mantine-color-${name}-text`] = filled;
    }
  }
  return vars;
}

// Mantine's grey helper text (gray-6, 3.3:1 on white), field errors and disabled labels
// (gray-5, about 2:1) are too faint to read; these keep 4.5:1 or better on
// white and on the page's light grey.
export const cssVariables: CSSVariablesResolver = (t) => ({
  variables: {},
  // Error text under fields too: red-6 is 3.3:1; dangerText (red-9) 5.4:1.
  light: {
    ...readableVariants(t.colors),
    '--mantine-color-dimmed': '#565e65', '--mantine-color-disabled-color': '#5f666d', '--mantine-color-error': dangerText,
  },
  dark: {},
});

/**
 * A short window: 1024×700, the smallest the app opens at, and the like.
 * The sidebar sets itself closer there so its twelve links and the
 * "waiting to go out" note show with no scrolling.
 */
export const shortWindow = '(max-height: 820px)';
