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

describe('FactMerge: what a statement implies outranks a reading as the statement would', () => {
  // Lab review 206, H2: the ticket's client got unknown_ca; an openssl run on the engineer's own host completed.
  const other = 'openssl on another host';
  it('sets aside a reading that contradicts what a statement implies, whichever comes first', () => {
    const statedFirst = new FactMerge();
    statedFirst.add({ 'tls.alert': 'unknown_ca' }, 'ticket.json', ALL_STATED);
    expect(statedFirst.add({ 'tls.handshake': 'ok', 'tls.chain_complete': true }, other, ALL_MEASURED)).toEqual([kept('tls.handshake', `${other} says "ok", tls.alert "unknown_ca" says "failed": kept "failed"`)]);
    expect(statedFirst.facts).toEqual({ 'tls.alert': 'unknown_ca', 'tls.chain_complete': true });

    const readFirst = new FactMerge();
    readFirst.add({ 'tls.handshake': 'ok', 'tls.chain_complete': true }, other, ALL_MEASURED);
    expect(readFirst.add({ 'tls.failed_cert': 'root' }, 'answer', ALL_STATED)).toEqual([kept('tls.handshake', `${other} says "ok", tls.failed_cert "root" says "failed": kept "failed"`)]);
    expect([readFirst.facts, readFirst.measured()]).toEqual([{ 'tls.chain_complete': true, 'tls.failed_cert': 'root' }, new Set(['tls.chain_complete'])]);
  });

  it('near misses: a reading that agrees, one a reading implies against, and a statement against a statement are left to the usual rule', () => {
    const agrees = new FactMerge();
    agrees.add({ 'tls.alert': 'unknown_ca' }, 'ticket.json', ALL_STATED);
    expect(agrees.add({ 'tls.handshake': 'failed' }, 'curl', ALL_MEASURED)).toEqual([]);
    expect(agrees.facts).toEqual({ 'tls.alert': 'unknown_ca', 'tls.handshake': 'failed' });
    // Two readings: the earlier is kept, whatever the later implies.
    const readings = new FactMerge();
    readings.add({ 'tls.handshake': 'ok' }, other, ALL_MEASURED);
    expect(readings.add({ 'tls.alert': 'unknown_ca' }, 'curl', ALL_MEASURED)).toEqual([]);
    expect(readings.facts).toEqual({ 'tls.handshake': 'ok', 'tls.alert': 'unknown_ca' });
    // Two statements: both stand here (statedConflicts warns of them in the diagnosis).
    const statements = new FactMerge();
    statements.add({ 'tls.alert': 'unknown_ca' }, 'ticket.json', ALL_STATED);
    expect(statements.add({ 'tls.handshake': 'ok' }, 'answer', ALL_STATED)).toEqual([]);
    expect([statements.facts, statements.conflicts]).toEqual([{ 'tls.alert': 'unknown_ca', 'tls.handshake': 'ok' }, []]);
  });
});

describe("FactMerge: a process's facts go with its pid", () => {
  const pidstat = { 'proc.app_pid': 999, 'proc.app_cpu_pct': 97, 'proc.app_sys_share_pct': 41.4 };

  it("sets aside a reading's facts of another process than the pid kept, with the pid, each with a warning", () => {
    const merge = new FactMerge();
    merge.add({ 'proc.app_pid': 11454, 'symptom.kind': 'slow' }, 'the answer given', ALL_STATED);
    expect(merge.add({ ...pidstat, 'host.cpu_pct': 50 }, 'the pasted pidstat output', ALL_MEASURED)).toEqual([
      kept('proc.app_pid', 'the pasted pidstat output says 999, the answer given says 11454: kept 11454'),
      kept('proc.app_cpu_pct', 'the pasted pidstat output says 97 of process 999, not of proc.app_pid 11454: set aside'),
      kept('proc.app_sys_share_pct', 'the pasted pidstat output says 41.4 of process 999, not of proc.app_pid 11454: set aside'),
    ]);
    // Facts of no process, and of the busiest process (another pid), are read as usual.
    expect(merge.facts).toEqual({ 'proc.app_pid': 11454, 'symptom.kind': 'slow', 'host.cpu_pct': 50 });
  });

  it('drops the facts a reading gave of its process when a statement names another pid later', () => {
    const merge = new FactMerge();
    merge.add({ ...pidstat, 'host.cpu_pct': 50 }, 'pidstat', ALL_MEASURED);
    merge.add({ 'proc.app_cpu_pct': 80 }, 'top', ALL_MEASURED);
    expect(merge.add({ 'proc.app_pid': 11454 }, 'ticket.json', ALL_STATED)).toEqual([
      kept('proc.app_pid', 'pidstat says 999, ticket.json says 11454: kept 11454'),
      kept('proc.app_cpu_pct', 'pidstat says 97 of process 999, not of proc.app_pid 11454: set aside'),
      kept('proc.app_sys_share_pct', 'pidstat says 41.4 of process 999, not of proc.app_pid 11454: set aside'),
    ]);
    expect(merge.facts).toEqual({ 'proc.app_pid': 11454, 'host.cpu_pct': 50 });
  });

  it('near misses: the same pid, or no pid known before, keep every fact of the reading', () => {
    const same = new FactMerge();
    same.add({ 'proc.app_pid': 999 }, 'the answer given', ALL_STATED);
    expect(same.add(pidstat, 'pidstat', ALL_MEASURED)).toEqual([]);
    expect(same.facts).toEqual(pidstat);
    const first = new FactMerge();
    expect(first.add(pidstat, 'pidstat', ALL_MEASURED)).toEqual([]);
    expect(first.facts).toEqual(pidstat);
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

  it("warns when what one input's statement implies disagrees with a fact another input states, as one document would; the stated fact is kept", () => {
    const hostAndUrl = mergeRequests([
      { source: 'ticket.json', request: request({ 'target.host': 'a.example', 'symptom.kind': 'timeout' }) },
      { source: '--target', request: request({ 'target.url': 'https://b.example:8443/' }) },
    ]);
    expect(hostAndUrl.facts).toEqual({ 'target.host': 'a.example', 'symptom.kind': 'timeout', 'target.url': 'https://b.example:8443/' });
    expect(hostAndUrl.warnings).toEqual([kept('target.host', 'target.url says "b.example", target.host says "a.example": kept "a.example"')]);
  });

  it("near misses: an implication that agrees says nothing, and one input's own disagreement is said once, not again after the merge", () => {
    const own = kept('target.port', 'target.url says 443, target.port says 80: kept 80');
    const merged = mergeRequests([
      { source: 'a.json', request: request({ 'target.url': 'https://b.example/', 'target.port': 80 }, [], { warnings: [own] }) },
      { source: 'b.json', request: request({ 'target.host': 'b.example' }) },
    ]);
    expect(merged.warnings).toEqual([own]);
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
