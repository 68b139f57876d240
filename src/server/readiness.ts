import type { FastifyBaseLogger } from 'fastify';
import type { CaseService } from '../cases/service.js';
import { StoreError, StoreUnavailable } from '../core/errors.js';
import { schemaProblem } from '../store/migrations.js';
import { unavailability } from '../store/unavailable.js';

/**
 * The most time /readyz waits for the case store: a database that hangs makes the probe a 503
 * rather than a probe that hangs (a load balancer's or kubelet's own timeout is 1 to 5 s).
 */
export const STORE_CHECK_MS = 2000;

/**
 * What a failed check says of the store, without its location or the database's own words
 * (a host, a user name): why it is unavailable (the reading the case routes answer 503 by), or
 * the SQLSTATE, or where to look.
 */
function failure(error: unknown): string {
  if (error instanceof StoreError && !(error instanceof StoreUnavailable)) return 'cannot be opened; the server log says why';
  const unavailable = unavailability(error);
  if (unavailable !== undefined) return unavailable;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return `the database refused the query (SQLSTATE ${code}); the server log says why`;
  return 'cannot be used; the server log says why';
}

/**
 * The readiness check of the case store: undefined when it answers a cheap query
 * (schemaProblem) within STORE_CHECK_MS, else what is wrong. `opened` is the store's opening
 * once begun, without beginning it: a store not made yet is nothing to wait for (a server that
 * never gets a case never makes one), while one that failed to open stays a failure.
 *
 * Probes arriving while a check runs share it, so the database sees at most one readiness
 * query at a time however often the public, never rate-limited /readyz is called; a check
 * older than the bound is given up on, so that one query hung for good does not keep the
 * server unready once the database answers again.
 */
export function storeReadiness(opened: () => Promise<CaseService> | undefined, log: FastifyBaseLogger): () => Promise<string | undefined> {
  let running: Check | undefined;
  const check = async (state: Pick<Check, 'opening'>): Promise<string | undefined> => {
    const opening = opened();
    if (!opening) return undefined;
    try {
      const { db } = await opening;
      state.opening = false;
      const problem = await schemaProblem(db);
      if (problem !== undefined) log.warn({ store: db.location }, `not ready: case store: ${problem}`);
      return problem;
    } catch (error) {
      log.warn({ err: error }, 'not ready: the case store does not answer');
      return failure(error);
    }
  };
  return async () => {
    const now = performance.now();
    if (!running || now - running.since >= STORE_CHECK_MS) {
      const state = { since: now, opening: true };
      const started: Check = Object.assign(state, { answer: check(state) });
      running = started;
      void started.answer.then(() => {
        if (running === started) running = undefined;
      });
    }
    const shared = running;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve(shared.opening ? `still opening after ${STORE_CHECK_MS / 1000} s` : `no answer within ${STORE_CHECK_MS / 1000} s`), STORE_CHECK_MS);
    });
    try {
      return await Promise.race([shared.answer, late]);
    } finally {
      clearTimeout(timer);
    }
  };
}

/** A readiness check of the store in flight: when it began, whether it still waits for the store to open, and its answer. */
interface Check {
  since: number;
  opening: boolean;
  answer: Promise<string | undefined>;
}
