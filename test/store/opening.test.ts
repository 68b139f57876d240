import { expect, it } from 'vitest';
import { OPEN_RETRY_MS, StoreOpening } from '../../src/store/opening.js';

/** A StoreOpening on a clock the test moves, whose openings fail until `fixed` is set; `attempts` counts them. */
function opening() {
  const state = { clock: 0, attempts: 0, fixed: false };
  const store = new StoreOpening(
    async () => {
      state.attempts++;
      if (!state.fixed) throw new Error(`locked (attempt ${state.attempts})`);
      return `store ${state.attempts}`;
    },
    () => state.clock,
  );
  return { store, state };
}

it('shares one opening among the callers while it runs, and begins none for begun() or latest()', async () => {
  const { store, state } = opening();
  state.fixed = true;
  expect([store.begun(), store.latest(), state.attempts]).toEqual([undefined, undefined, 0]);
  const [a, b] = [store.get(), store.get()];
  expect(await a).toBe('store 1');
  expect(await b).toBe('store 1');
  expect(await store.begun()).toBe('store 1');
  state.clock += 10 * OPEN_RETRY_MS.most;
  expect(await store.get()).toBe('store 1');
  expect(state.attempts).toBe(1);
});

it('answers a failure for its wait, then tries again; the wait doubles with each failure in a row, up to its most', async () => {
  const { store, state } = opening();
  await expect(store.get()).rejects.toThrow('locked (attempt 1)');
  // The storm right after: the same failure, no new attempt.
  for (let i = 0; i < 5; i++) await expect(store.get()).rejects.toThrow('locked (attempt 1)');
  state.clock += OPEN_RETRY_MS.first - 1;
  await expect(store.begun()).rejects.toThrow('locked (attempt 1)');
  state.clock += 1;
  await expect(store.begun()).rejects.toThrow('locked (attempt 2)');
  state.clock += 2 * OPEN_RETRY_MS.first - 1;
  await expect(store.get()).rejects.toThrow('locked (attempt 2)');
  state.clock += 1;
  await expect(store.get()).rejects.toThrow('locked (attempt 3)');
  // Doubling again and again stops at the most.
  for (let failed = 3; failed < 12; failed++) {
    state.clock += OPEN_RETRY_MS.most;
    await expect(store.get()).rejects.toThrow(`locked (attempt ${failed + 1})`);
  }
  state.fixed = true;
  state.clock += OPEN_RETRY_MS.most - 1;
  await expect(store.get()).rejects.toThrow('locked (attempt 12)');
  await expect(store.latest()).rejects.toThrow('locked (attempt 12)');
  state.clock += 1;
  expect(await store.get()).toBe('store 13');
  expect(await store.latest()).toBe('store 13');
});
