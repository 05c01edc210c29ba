import { describe, expect, it } from 'vitest';
import { wordsEdited } from './ConsentRequestPage';

const t = {
  id: 7, patientId: 3, consentId: 0, quote: 'Kind staff.\r\nGreat results.', source: 'email', saidOn: '', nameAs: 'anonymous',
  showsFace: false, createdAt: '', media: [{ sha256: 'aa', kind: 'photo', label: 'a.png' }, { sha256: 'bb', kind: 'photo', label: 'b.png' }],
};

describe('wordsEdited', () => {
  it.each([
    ['the same words and photos', '  Kind staff.\nGreat results.\n', ['bb', 'aa'], { quote: false, media: false }],
    ['one word changed', 'Kind staff.\nGreat result.', ['aa', 'bb'], { quote: true, media: false }],
    ['a photo removed', 'Kind staff.\nGreat results.', ['aa'], { quote: false, media: true }],
    ['a photo swapped', 'Kind staff.\nGreat results.', ['aa', 'cc'], { quote: false, media: true }],
    ['both', 'Nice.', [], { quote: true, media: true }],
  ])('%s', (_, quote, shas, want) => {
    expect(wordsEdited(t, quote, shas.map((sha256) => ({ sha256 })))).toEqual(want);
  });
});
