import { LRUCache } from 'lru-cache';
import type { KnowledgeBase } from '../core/kb.js';

export interface ResponseCacheLimits {
  /** Most answers kept; 0 turns the cache off. */
  entries: number;
  /** Most bytes kept: the encoded answers, and the keys counted as UTF-16 (an upper bound of the heap they use). */
  bytes: number;
}

/** Enough for every open ticket of a busy desk at ~20 KB an answer, well under the byte cap. */
export const DEFAULT_RESPONSE_CACHE: ResponseCacheLimits = { entries: 1000, bytes: 64 * 1024 * 1024 };

/** An answer as sent: its bytes, and the language of its texts (Content-Language), which the body it answers may have chosen. */
export interface CachedAnswer {
  body: Buffer;
  language: string;
}

const footprint = (key: string, value: CachedAnswer) => 2 * key.length + value.body.length;

/**
 * Answers of one knowledge base, serialized and UTF-8 encoded (so a hit is written to the
 * socket as is, without encoding 20 KB again), least recently used evicted first, within the
 * entry and byte bounds (lru-cache keeps the recency list and the sizes; an answer larger than
 * the byte bound is not stored). The entries belong to the KB they were computed with: the
 * first lookup under another KB (a SIGHUP reload) empties the cache, and an answer computed
 * with the old KB while the reload happened is not stored, so a reload never serves stale answers.
 */
export class ResponseCache {
  private readonly entries: LRUCache<string, CachedAnswer>;
  private kb: KnowledgeBase | undefined;

  constructor(limits: ResponseCacheLimits) {
    this.entries = new LRUCache({ max: limits.entries, maxSize: limits.bytes, sizeCalculation: (value, key) => footprint(key, value) });
  }

  get size(): number {
    return this.entries.size;
  }

  get bytes(): number {
    return this.entries.calculatedSize;
  }

  get(kb: KnowledgeBase, key: string): CachedAnswer | undefined {
    if (kb !== this.kb) {
      this.entries.clear();
      this.kb = kb;
      return undefined;
    }
    return this.entries.get(key);
  }

  set(kb: KnowledgeBase, key: string, value: CachedAnswer): void {
    // The first answer stored stays: a second one for the same key is the same answer.
    if (kb !== this.kb || this.entries.has(key)) return;
    this.entries.set(key, value);
  }
}
