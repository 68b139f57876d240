import type { ParsedFacts } from '../parsers/types.js';

/** A probe that could not run, or part of one, and why (printed on stderr, never guessed as a fact). */
export interface SkippedProbe {
  probe: string;
  reason: string;
}

/** Something the reader of the facts must know about how a probe got them (printed on stderr). */
export interface ProbeNote {
  probe: string;
  note: string;
}

/** What one probe found: facts, what it had to leave out, and how it got them when that matters. */
export interface ProbeOutcome {
  facts: ParsedFacts;
  skipped: SkippedProbe[];
  notes?: ProbeNote[];
}

export function found(facts: ParsedFacts, skipped: SkippedProbe[] = []): ProbeOutcome {
  return { facts, skipped };
}

export function skip(probe: string, reason: string): ProbeOutcome {
  return { facts: {}, skipped: [{ probe, reason }] };
}

export function elapsedMs(startedAt: number): number {
  return Math.round((performance.now() - startedAt) * 1000) / 1000;
}

export function errorCode(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  return code ?? message ?? String(error);
}

/**
 * Settles with `onTimeout()` (or its exception) if `work` has not settled within `ms`; the
 * timer is cleared either way so a finished probe never keeps the process alive.
 */
export function withTimeout<T>(work: Promise<T>, ms: number, onTimeout: () => T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((resolve, reject) => {
    timer = setTimeout(() => {
      try {
        resolve(onTimeout());
      } catch (error) {
        reject(error as Error);
      }
    }, ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** A connection or request a probe must close when it is done. */
export interface Closable {
  destroy(): void;
}

/**
 * Runs one network exchange: `start` opens it and calls `finish` with what it learned; if it
 * has not finished within `timeoutMs`, `onTimeout` says what that means. Either way the timer
 * is cleared and the connection destroyed, once.
 */
export function exchange(timeoutMs: number, onTimeout: () => ProbeOutcome, start: (finish: (outcome: ProbeOutcome) => void) => Closable): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    let finished = false;
    // Filled once `start` returns; `finish` may run before that only if `start` fails at once.
    const opened: { connection?: Closable } = {};
    const finish = (outcome: ProbeOutcome) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      opened.connection?.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => finish(onTimeout()), timeoutMs);
    opened.connection = start(finish);
    if (finished) opened.connection.destroy();
  });
}
