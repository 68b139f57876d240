import type { KnowledgeBase } from '../core/kb.js';

export interface ResponseCacheLimits {
  /** Most answers kept; 0 turns the cache off. */
  entries: number;
  /** Most bytes kept: the encoded answers, and the keys counted as UTF-16 (an upper bound of the heap they use). */
  bytes: number;
}

/** Enough for every open ticket of a busy desk at ~20 KB an answer, well under the byte cap. */
export const DEFAULT_RESPONSE_CACHE: ResponseCacheLimits = { entries: 1000, bytes: 64 * 1024 * 1024 };

const footprint = (key: string, value: Buffer) => 2 * key.length + value.length;

/**
 * Answers of one knowledge base, serialized and UTF-8 encoded (so a hit is written to the
 * socket as is, without encoding 20 KB again), least recently used evicted first (a Map
 * iterates in insertion order, so re-inserting on a hit keeps the oldest key first).
 * The entries belong to the KB they were computed with: the first lookup under another
 * KB (a SIGHUP reload) empties the cache, and an answer computed with the old KB while
 * the reload happened is not stored, so a reload never serves stale answers.
 */
export class ResponseCache {
  private readonly entries = new Map<string, Buffer>();
  private kb: KnowledgeBase | undefined;
  private used = 0;

  constructor(private readonly limits: ResponseCacheLimits) {}

  get size(): number {
    return this.entries.size;
  }

  get bytes(): number {
    return this.used;
  }

  get(kb: KnowledgeBase, key: string): Buffer | undefined {
    if (kb !== this.kb) {
      this.entries.clear();
      this.used = 0;
      this.kb = kb;
      return undefined;
    }
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(kb: KnowledgeBase, key: string, value: Buffer): void {
    const size = footprint(key, value);
    if (kb !== this.kb || size > this.limits.bytes || this.entries.has(key)) return;
    this.entries.set(key, value);
    this.used += size;
    for (const [oldest, old] of this.entries) {
      if (this.entries.size <= this.limits.entries && this.used <= this.limits.bytes) break;
      this.entries.delete(oldest);
      this.used -= footprint(oldest, old);
    }
  }
}
