import type { FastifyBaseLogger } from 'fastify';
import type { CaseService } from '../cases/service.js';
import { schemaProblem } from '../store/migrations.js';
import { noAnswerWithin, unavailability } from '../store/unavailable.js';

/**
 * The most time /readyz waits for the case store: a database that hangs is reported (or makes
 * the probe a 503, for a store of this replica's own) rather than a probe that hangs (a load
 * balancer's or kubelet's own timeout is 1 to 5 s). The readiness query gives up after as long.
 */
export const STORE_CHECK_MS = 2000;

/**
 * How long a store that answered is taken to answer still: the probes of several load balancers
 * and kubelets within it are answered without a query.
 */
export const STORE_ANSWERED_MS = 1000;

/**
 * What /readyz says of the case store: its state as the answer carries it (readiness.schema.json),
 * and whether this replica is unready for it, which only a state of this replica's own makes it
 * (see storeReadiness).
 */
export type StoreCheck = { store: { status: 'ok' }; unready: false } | { store: { status: 'unavailable'; detail: string }; unready: boolean };

const ANSWERS: StoreCheck = { store: { status: 'ok' }, unready: false };
const unavailable = (detail: string, unready: boolean): StoreCheck => ({ store: { status: 'unavailable', detail: `case store: ${detail}` }, unready });

/**
 * What a failed query says of the store, without its location or the database's own words
 * (a host, a user name): why it is unavailable (the reading the case routes answer 503 by), or
 * the SQLSTATE, or where to look.
 */
function failure(error: unknown): string {
  const reason = unavailability(error);
  if (reason !== undefined) return reason;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return `the database refused the query (SQLSTATE ${code}); the server log says why`;
  return 'cannot be used; the server log says why';
}

/**
 * The readiness check of the case store: ok when it answers a cheap query (schemaProblem) within
 * STORE_CHECK_MS, else what is wrong. `opened` is the store, opened at its first call (rca serve
 * opens it at start).
 *
 * Unready only for what is this replica's own: its store still opening or failed to open, and
 * an embedded store, which is in this process, that does not answer or is not at this rca's
 * schema. A store every replica shares (PostgreSQL) that does not answer is only reported:
 * readiness that fails on a dependency every replica shares takes every replica out of the load
 * balancer at once (Kubernetes' guidance), which would stop /v1/diagnose and the interview, which
 * need no store; and in a rolling upgrade the first new replica to migrate the schema would make
 * every old one unready.
 *
 * Probes arriving while a check runs share it, so the database sees at most one readiness
 * query at a time however often the public, never rate-limited /readyz is called, and one
 * arriving within STORE_ANSWERED_MS of an answer is answered without a query. A check older
 * than the bound is given up on, so that one query hung for good does not keep the store
 * reported unavailable once the database answers again; the query itself gives up then too
 * (Database.bounded), on PostgreSQL's server as well as here, so it neither runs on there nor
 * holds a connection of the pool for good.
 */
export function storeReadiness(opened: () => Promise<CaseService>, log: FastifyBaseLogger): () => Promise<StoreCheck> {
  let running: Check | undefined;
  let answeredAt = -Infinity;
  const check = async (state: Pick<Check, 'opening' | 'storeShared'>): Promise<StoreCheck> => {
    let db: CaseService['db'];
    try {
      ({ db } = await opened());
    } catch (error) {
      log.warn({ err: error }, 'not ready: the case store does not open');
      return unavailable('cannot be opened; the server log says why', true);
    }
    state.opening = false;
    state.storeShared = !db.exclusive;
    const ready = db.exclusive ? 'not ready' : 'ready, the store being shared';
    try {
      const problem = await schemaProblem(db.bounded(STORE_CHECK_MS));
      if (problem === undefined) {
        answeredAt = performance.now();
        return ANSWERS;
      }
      log.warn({ store: db.location }, `${ready}: case store: ${problem}`);
      return unavailable(problem, db.exclusive);
    } catch (error) {
      log.warn({ err: error }, `${ready}: the case store does not answer`);
      return unavailable(failure(error), db.exclusive);
    }
  };
  return async () => {
    const now = performance.now();
    if (now - answeredAt < STORE_ANSWERED_MS) return ANSWERS;
    if (!running || now - running.since >= STORE_CHECK_MS) {
      const state = { since: now, opening: true, storeShared: false };
      const started: Check = Object.assign(state, { answer: check(state) });
      running = started;
      void started.answer.then(() => {
        if (running === started) running = undefined;
      });
    }
    const shared = running;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<StoreCheck>((resolve) => {
      timer = setTimeout(() => resolve(shared.opening ? unavailable(`still opening after ${STORE_CHECK_MS / 1000} s`, true) : unavailable(noAnswerWithin(STORE_CHECK_MS), !shared.storeShared)), STORE_CHECK_MS);
    });
    try {
      return await Promise.race([shared.answer, late]);
    } finally {
      clearTimeout(timer);
    }
  };
}

/** A readiness check of the store in flight: when it began, whether it still waits for the store to open, whether the store is shared once known, and its answer. */
interface Check {
  since: number;
  opening: boolean;
  storeShared: boolean;
  answer: Promise<StoreCheck>;
}
