import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { KnowledgeBase } from '../core/kb.js';
import type { ResponseCache } from './response-cache.js';

/** Prometheus metrics of one server (a private registry, not the process-global one). */
export class Metrics {
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: 'rca_http_requests_total',
    help: 'HTTP requests by route, method and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  private readonly latency = new Histogram({
    name: 'rca_http_request_duration_seconds',
    help: 'HTTP request latency by route',
    labelNames: ['method', 'route'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  private readonly kbInfo = new Gauge({
    name: 'rca_kb_info',
    help: 'The knowledge base being served (value 1)',
    labelNames: ['name', 'version', 'hash'] as const,
    registers: [this.registry],
  });
  readonly reloads = new Counter({
    name: 'rca_kb_reloads_total',
    help: 'Knowledge-base reloads by result',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  private readonly cacheAnswers = new Counter({
    name: 'rca_response_cache_answers_total',
    help: 'Answers of the cached routes by route and result: hit (from the cache) or miss (computed and stored)',
    labelNames: ['route', 'result'] as const,
    registers: [this.registry],
  });

  constructor() {
    // The process's CPU, memory, event-loop lag, heap and GC, on this registry only.
    collectDefaultMetrics({ register: this.registry });
  }

  observe(method: string, route: string, status: number, seconds: number): void {
    this.requests.inc({ method, route, status: String(status) });
    this.latency.observe({ method, route }, seconds);
  }

  cacheAnswer(route: string, hit: boolean): void {
    this.cacheAnswers.inc({ route, result: hit ? 'hit' : 'miss' });
  }

  /** Reports the cache's fill at each scrape. */
  watchCache(cache: ResponseCache): void {
    const registers = [this.registry];
    const gauge = (name: string, help: string, read: () => number) =>
      new Gauge({
        name,
        help,
        registers,
        collect() {
          this.set(read());
        },
      });
    gauge('rca_response_cache_entries', 'Answers held by the response cache', () => cache.size);
    gauge('rca_response_cache_bytes', 'Bytes held by the response cache: encoded answers, and keys counted as UTF-16', () => cache.bytes);
  }

  setKb(kb: KnowledgeBase): void {
    this.kbInfo.reset();
    this.kbInfo.set({ name: kb.meta.name, version: kb.meta.version, hash: kb.meta.hash }, 1);
  }
}
