import type { LibraryImage } from '../../api/drafts';

export interface DesignGroup {
  setId: string;
  /** The size a post takes: the square one, which every platform accepts, else the first kept. */
  pick: LibraryImage;
  sizes: number;
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
    return { setId: key, pick: all.find((i) => i.sizeId === 'square') ?? all[0], sizes: all.length };
  });
}
