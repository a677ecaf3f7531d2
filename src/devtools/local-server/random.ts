/** Small, fast, seedable randomness: answers are derived from content hashes, faults from a seeded stream. */
import { mulberry32 } from '../../util/mulberry32.js';

export { mulberry32 };

/** FNV-1a over UTF-16 code units: cheap, stable across runs and platforms. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function pick<T>(items: readonly T[], rand: () => number): T {
  return items[Math.floor(rand() * items.length) % items.length] as T;
}
