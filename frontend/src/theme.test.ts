import { DEFAULT_THEME, mergeMantineTheme } from '@mantine/core';
import { describe, expect, it } from 'vitest';
import { contrast, cssVariables, theme } from './theme';

// Every Mantine colour's badges and buttons read at 4.5:1 or better once
// the resolver's overrides apply (axe's color-contrast rule in the e2e
// suite checks the same on the screens it visits).
describe('theme colours', () => {
  const full = mergeMantineTheme(DEFAULT_THEME, theme);
  const light = cssVariables(full).light;
  const shade = (v: string) => {
    const m = /^var\(--mantine-color-(\w+)-(\d)\)$/.exec(v);
    return m ? full.colors[m[1]][Number(m[2])] : v;
  };
  for (const [name, shades] of Object.entries(full.colors)) {
    if (name === 'dark') continue;
    it(`${name}: light and filled variants`, () => {
      const lightColor = light[`--mantine-color-${name}-light-color`] ?? shades[9];
      const filled = light[`--mantine-color-${name}-filled`] ?? shades[7];
      expect(contrast(shade(lightColor), shades[2])).toBeGreaterThanOrEqual(4.5);
      expect(contrast('#ffffff', shade(filled))).toBeGreaterThanOrEqual(4.5);
    });
  }
  it('contrast is the WCAG ratio', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
  });
});
