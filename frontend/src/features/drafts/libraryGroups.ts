import type { LibraryImage } from '../../api/drafts';
import type { DraftMedia } from '../../api/types';

export interface DesignGroup {
  /** The tile's key: the design's set id, or "image-<id>" for an image kept without one. */
  key: string;
  /** The design's set id; "" for an image kept without one, which goes to every channel as it is. */
  setId: string;
  /** The size the tile and the editor show: the square one, else the first kept. Each channel gets its own size when the post goes out. */
  pick: LibraryImage;
  sizes: LibraryImage[];
}

/**
 * The Studio library as designs, not files: one tile per kept design (its
 * sizes together), newest first as the library lists them. Images kept
 * without a design set stand alone.
 */
export function groupByDesign(items: LibraryImage[]): DesignGroup[] {
  const order: string[] = [];
  const sets = new Map<string, LibraryImage[]>();
  for (const i of items) {
    const key = i.setId || `image-${i.id}`;
    if (!sets.has(key)) {
      sets.set(key, []);
      order.push(key);
    }
    sets.get(key)!.push(i);
  }
  return order.map((key) => {
    const all = sets.get(key)!;
    return { key, setId: all[0].setId, pick: all.find((i) => i.sizeId === 'square') ?? all[0], sizes: all };
  });
}

/**
 * What a post records when a tile is chosen: the design (its set id), shown
 * by its picked size; each channel gets the size its platform takes when
 * the post goes out. An image kept without a design goes as it is.
 */
export function designMedia(g: DesignGroup): DraftMedia {
  const m: DraftMedia = { mediaId: g.pick.id, sha256: g.pick.sha256, altText: g.pick.altText };
  if (g.setId) m.setId = g.setId;
  return m;
}
