import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { ALL_MEASURED, ALL_STATED, FactMerge, mergeRequests } from '../../src/core/merge.js';
import type { DiagnoseRequest } from '../../src/core/request.js';

const kept = (field: string, message: string) => ({ field, message });
const conflict = (got: string) => ({ field: 'http.latency_ms', expected: 'one value from every input that gives it', got });

describe('FactMerge: one rule for every entry that merges facts', () => {
  it('keeps a stated fact over a reading, whichever comes first, and says so with both sources and values', () => {
    const statedFirst = new FactMerge();
    expect(statedFirst.add({ 'http.latency_ms': 5000 }, 'ticket.json', ALL_STATED)).toEqual([]);
    expect(statedFirst.add({ 'http.latency_ms': 2001.6, 'http.status': 200 }, 'curl', ALL_MEASURED)).toEqual([kept('http.latency_ms', 'curl says 2001.6, ticket.json says 5000: kept 5000')]);
    expect([statedFirst.facts, statedFirst.conflicts, statedFirst.measured()]).toEqual([{ 'http.latency_ms': 5000, 'http.status': 200 }, [], new Set(['http.status'])]);

    const readFirst = new FactMerge();
    readFirst.add({ 'http.latency_ms': 2001.6 }, 'curl', ALL_MEASURED);
    expect(readFirst.add({ 'http.latency_ms': 5000 }, 'ticket.json', ALL_STATED)).toEqual([kept('http.latency_ms', 'curl says 2001.6, ticket.json says 5000: kept 5000')]);
    expect([readFirst.facts, readFirst.measured()]).toEqual([{ 'http.latency_ms': 5000 }, new Set()]);
  });

  it('keeps the earlier of two readings; the same value twice is nothing to say', () => {
    const merge = new FactMerge();
    merge.add({ 'dns.resolve_ms': 252 }, 'dig', ALL_MEASURED);
    expect(merge.add({ 'dns.resolve_ms': 0.019 }, 'curl', ALL_MEASURED)).toEqual([kept('dns.resolve_ms', 'curl says 0.019, dig says 252: kept 252')]);
    expect(merge.add({ 'dns.resolve_ms': 252 }, 'dig again', ALL_MEASURED)).toEqual([]);
    expect(merge.facts).toEqual({ 'dns.resolve_ms': 252 });
  });

  it('leaves two statements that disagree to the user, a reading having given one of the values first or not', () => {
    const merge = new FactMerge();
    merge.add({ 'http.latency_ms': 5000 }, 'a.json', ALL_STATED);
    expect(merge.add({ 'http.latency_ms': 2000 }, 'b.json', ALL_STATED)).toEqual([]);
    expect([merge.facts, merge.conflicts]).toEqual([{ 'http.latency_ms': 5000 }, [conflict('5000 from a.json and 2000 from b.json')]]);

    const confirmed = new FactMerge();
    confirmed.add({ 'http.latency_ms': 2000 }, 'curl', ALL_MEASURED);
    confirmed.add({ 'http.latency_ms': 2000 }, 'a.json', ALL_STATED);
    expect(confirmed.add({ 'http.latency_ms': 5000 }, 'b.json', ALL_STATED)).toEqual([]);
    expect(confirmed.conflicts).toEqual([conflict('2000 from a.json and 5000 from b.json')]);
  });
});

describe('mergeRequests', () => {
  const request = (facts: DiagnoseRequest['facts'], measured: string[] = [], more: Partial<DiagnoseRequest> = {}): DiagnoseRequest => ({ facts, measured: new Set(measured), summary: null, unknown: [], warnings: [], ...more });

  it("reads which of a document's facts its own artifacts gave: those yield to another document's statement", () => {
    const merged = mergeRequests([
      { source: 'measured.json', request: request({ 'http.latency_ms': 2000, 'symptom.kind': 'slow' }, ['http.latency_ms']) },
      { source: 'ticket.json', request: request({ 'http.latency_ms': 5000 }, [], { warnings: [kept('tcp.connect', 'its own')] }) },
    ]);
    expect(merged).toEqual(request({ 'http.latency_ms': 5000, 'symptom.kind': 'slow' }, [], { warnings: [kept('tcp.connect', 'its own'), kept('http.latency_ms', 'measured.json says 2000, ticket.json says 5000: kept 5000')] }));
  });

  it('refuses every disagreement between statements and settings at once', () => {
    const inputs = [
      { source: 'a.json', request: request({ 'http.latency_ms': 5000 }, [], { summary: 'a' }) },
      { source: 'b.json', request: request({ 'http.latency_ms': 2000 }, [], { summary: 'b' }) },
    ];
    const refused = (() => {
      try {
        mergeRequests(inputs);
      } catch (error) {
        return error;
      }
    })();
    expect(refused).toBeInstanceOf(InputError);
    expect((refused as InputError).problems).toEqual([conflict('5000 from a.json and 2000 from b.json'), { field: '/summary', expected: 'one value from every input that gives it', got: '"a" from a.json and "b" from b.json' }]);
  });
});
