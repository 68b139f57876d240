import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { KbError, type KbProblem } from '../core/errors.js';
import { loadKnowledgeBase, type KnowledgeBase, type LoadOptions } from '../core/kb.js';
import { packageRoot } from '../core/paths.js';

/** What the reload worker is asked to load, and what it answers. */
export interface ReloadRequest {
  dirs: readonly string[];
  options: LoadOptions;
}
export type ReloadReply = { kb: KnowledgeBase } | { problems: KbProblem[] };

/** How long a reload may take before it is abandoned (the shipped KB loads in under a second). */
export const DEFAULT_RELOAD_DEADLINE_MS = 30_000;
/** Heap for one reload: ample for the largest KB the limits let through, and a bound on a hostile one. */
const RELOAD_HEAP_MB = 256;
/**
 * The worker runs the built code, also under the tests (which run src/ through vitest): a
 * worker thread cannot load TypeScript, and the build is a prerequisite of the tests.
 */
const RELOAD_WORKER = join(packageRoot, 'dist', 'src', 'server', 'kb-reload-worker.js');

/**
 * The knowledge base a server answers with: only a sealed one (every directory has a
 * kb.lock.json it matches). Reloading reads, parses and validates in a worker thread with
 * a deadline, so serving never pauses, and swaps the KB whole, only after the new one
 * matched its lock and validated: a broken or half-written edit never replaces a working KB.
 */
export class KbHolder {
  private kb: KnowledgeBase;
  private loaded: Date;
  private readonly options: LoadOptions;
  private readonly deadlineMs: number;
  /** Settles when the reload in progress (if any) has; reloads run one at a time, in order. */
  private idle: Promise<unknown> = Promise.resolve();
  /** A reload asked for while another runs: later requests join it, as it has not read anything yet. */
  private queued: Promise<KnowledgeBase> | undefined;

  constructor(
    private readonly dirs: readonly string[],
    options: LoadOptions = {},
    reload: { deadlineMs?: number } = {},
  ) {
    this.options = { ...options, requireLock: true };
    this.deadlineMs = reload.deadlineMs ?? DEFAULT_RELOAD_DEADLINE_MS;
    this.kb = loadKnowledgeBase(dirs, this.options);
    this.loaded = new Date();
  }

  get current(): KnowledgeBase {
    return this.kb;
  }

  /** When the current KB was swapped in (GET /v1/kb): the server's clock, never the core's. */
  get loadedAt(): string {
    return this.loaded.toISOString();
  }

  /** Loads the KB again from disk, off the event loop; rejects with a KbError (keeping the old KB) when it does not load. */
  reload(): Promise<KnowledgeBase> {
    if (!this.queued) {
      const next = this.idle.then(() => {
        this.queued = undefined;
        return this.loadInWorker();
      });
      this.queued = next;
      this.idle = next.catch(() => undefined);
    }
    return this.queued;
  }

  private loadInWorker(): Promise<KnowledgeBase> {
    const request: ReloadRequest = { dirs: this.dirs, options: this.options };
    const where = this.dirs.join(', ');
    return new Promise<KnowledgeBase>((resolve, reject) => {
      const worker = new Worker(RELOAD_WORKER, { workerData: request, resourceLimits: { maxOldGenerationSizeMb: RELOAD_HEAP_MB } });
      const settle = (outcome: () => void) => {
        clearTimeout(deadline);
        worker.removeAllListeners();
        void worker.terminate();
        outcome();
      };
      const refuse = (message: string) => settle(() => reject(new KbError([{ file: where, path: '', message }])));
      const deadline = setTimeout(() => refuse(`expected the knowledge base to load within ${this.deadlineMs} ms, it took longer: reload abandoned`), this.deadlineMs);
      worker.once('message', (reply: ReloadReply) =>
        settle(() => {
          if ('problems' in reply) return reject(new KbError(reply.problems));
          this.kb = reply.kb;
          this.loaded = new Date();
          resolve(reply.kb);
        }),
      );
      worker.once('error', (error) => refuse(`does not load: ${error.message}`));
      worker.once('exit', (code) => refuse(`does not load: the reload worker exited with code ${code}`));
      // A reload in progress does not keep a stopping server alive.
      worker.unref();
      deadline.unref();
    });
  }
}
