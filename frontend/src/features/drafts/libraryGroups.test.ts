import { describe, expect, it } from 'vitest';
import type { LibraryImage } from '../../api/drafts';
import { designMedia, groupByDesign } from './libraryGroups';

const img = (id: number, setId: string, sizeId: string): LibraryImage => ({
  id, setId, sizeId, sha256: 'h' + id, width: 1080, height: 1080, bytes: 1, altText: 'alt ' + setId, url: '/m/' + id,
});

describe('groupByDesign', () => {
  it('shows two designs of six sizes as two tiles, each showing its square size', () => {
    const sizes = ['portrait', 'square', 'link', 'story', 'landscape', 'wide'];
    const items = [...sizes.map((s, i) => img(10 + i, 'b', s)), ...sizes.map((s, i) => img(i, 'a', s))];
    const g = groupByDesign(items);
    expect(g.map((x) => x.setId)).toEqual(['b', 'a']);
    expect(g.map((x) => x.pick.id)).toEqual([11, 1]);
    expect(g.every((x) => x.sizes.length === 6 && x.pick.sizeId === 'square')).toBe(true);
  });
  it('keeps a design with no square size, and an image with no set, on their own', () => {
    const g = groupByDesign([img(1, 'c', 'story'), img(2, 'c', 'wide'), img(3, '', 'square'), img(4, '', 'square')]);
    expect(g.map((x) => [x.pick.id, x.sizes.length])).toEqual([[1, 2], [3, 1], [4, 1]]);
    expect(g.map((x) => x.key)).toEqual(['c', 'image-3', 'image-4']);
  });
});

describe('designMedia', () => {
  it('records the design, so each channel gets its own size', () => {
    const [g] = groupByDesign([img(1, 'a', 'portrait'), img(2, 'a', 'square')]);
    expect(designMedia(g)).toEqual({ mediaId: 2, sha256: 'h2', altText: 'alt a', setId: 'a' });
  });
  it('records an image kept without a design as a plain image', () => {
    const [g] = groupByDesign([img(3, '', 'square')]);
    expect(designMedia(g)).toEqual({ mediaId: 3, sha256: 'h3', altText: 'alt ' });
  });
});
