import type { FontFamily } from './api/types';

const loaded = new Set<string>();

/** Declares @font-face rules for bundled fonts, served by the app under /fonts/. */
export function ensureFontFaces(families: Pick<FontFamily, 'name' | 'regular' | 'bold' | 'italic'>[]) {
  const rules: string[] = [];
  for (const f of families) {
    if (loaded.has(f.name)) continue;
    loaded.add(f.name);
    rules.push(
      `@font-face{font-family:"${f.name}";src:url("/fonts/${f.regular}");font-weight:400;font-style:normal;font-display:swap}`,
      `@font-face{font-family:"${f.name}";src:url("/fonts/${f.bold}");font-weight:700;font-style:normal;font-display:swap}`,
      `@font-face{font-family:"${f.name}";src:url("/fonts/${f.italic}");font-weight:400;font-style:italic;font-display:swap}`,
    );
  }
  if (rules.length === 0) return;
  const style = document.createElement('style');
  style.textContent = rules.join('\n');
  document.head.appendChild(style);
}
