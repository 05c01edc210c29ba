import { describe, expect, it } from 'vitest';
import { inlineRuns, parseForm } from './formText';

describe('parseForm', () => {
  it('reads the template subset into blocks, boxes included', () => {
    const blocks = parseForm(
      '# Consent\n\n**Practice:** Harbour, 1 Quay St.\nsecond line\n\n> I love it.\n> Truly.\n\n- [ ] Facebook\n- [x] Instagram\n\n## How long\n\n- Photo 1 (photo)\n',
    );
    expect(blocks).toEqual([
      { kind: 'h1', text: 'Consent' },
      { kind: 'p', text: '**Practice:** Harbour, 1 Quay St. second line' },
      { kind: 'quote', text: 'I love it.\nTruly.' },
      { kind: 'check', label: 'Facebook', ticked: false },
      { kind: 'check', label: 'Instagram', ticked: true },
      { kind: 'h2', text: 'How long' },
      { kind: 'item', text: 'Photo 1 (photo)' },
    ]);
  });
  it('keeps a paragraph that follows a quote separate', () => {
    expect(parseForm('> quoted\nplain')).toEqual([
      { kind: 'quote', text: 'quoted' },
      { kind: 'p', text: 'plain' },
    ]);
  });
});

describe('inlineRuns', () => {
  it('splits bold runs', () => {
    expect(inlineRuns('**Patient:** Ann')).toEqual([
      { bold: true, text: 'Patient:' },
      { bold: false, text: ' Ann' },
    ]);
  });
});
