import { describe, expect, it } from 'vitest';
import { assess } from '../../src/core/evaluate.js';
import { nextQuestion } from '../../src/core/interview.js';
import { askIfHolds } from '../../src/core/question.js';
import type { FactMap } from '../../src/core/vocabulary.js';
import { askedFrom, diagnoseFacts, shippedKb } from '../support.js';

/**
 * Findings real write-ups report that the shipped interview must be able to ask: each question's
 * askIf opens as soon as its layer is in play, not only after a stricter fact is known.
 */
const kb = shippedKb();

const asked = (intake: FactMap, answers: FactMap, limit: number) => askedFrom(intake, answers, limit, kb);

describe('questions the shipped interview can ask', () => {
  it('asks who sent the reset once the symptom is a reset, without a capture first', async () => {
    const holds = (facts: FactMap) => askIfHolds(kb, 'tcp.rst_from', facts);
    expect(holds({ 'symptom.kind': 'connection_reset' })).toBe(true);
    expect(holds({ 'tcp.rst_seen': true })).toBe(true);
    expect(holds({ 'symptom.kind': 'timeout', 'tcp.rst_seen': false })).toBe(false);
    expect(holds({ 'symptom.kind': 'slow' })).toBe(false);
    expect(holds({})).toBe(false);
    const intake = { 'symptom.kind': 'connection_reset', 'path.via_lb': true, 'symptom.intermittent': true };
    // The proxy's error log comes first: 'reset by peer' and 'upstream prematurely closed' (a
    // keep-alive race) read apart from a refusal or a timeout, which the status code alone does not.
    expect(await asked(intake, {}, 6)).toEqual(['proxy.upstream_error', 'http.status', 'tcp.connect', 'lb.backend_health', 'target.protocol', 'tcp.rst_from']);
  });

  it('asks how long the connect takes once the symptom is slowness, a connection made', async () => {
    const holds = (facts: FactMap) => askIfHolds(kb, 'tcp.connect_ms', facts);
    expect(holds({ 'symptom.kind': 'slow' })).toBe(true);
    expect(holds({ 'tcp.connect': 'ok' })).toBe(true);
    expect(holds({ 'symptom.kind': 'unreachable', 'tcp.connect': 'timeout' })).toBe(false);
    expect(holds({ 'symptom.kind': 'errors' })).toBe(false);
    expect(holds({})).toBe(false);
    const intake = { 'path.k8s': true, 'symptom.kind': 'slow', 'symptom.intermittent': true };
    // Since the conntrack race is not read as a Kubernetes-only cause, the NAT on the path is asked first;
    // slowness that comes and goes behind Kubernetes' NAT is as often the DNS lookups' (the conntrack
    // race costs a resolver timeout), so their time follows, then the busiest process (a periodic
    // job or agent weighs as much as the SNAT race on slowness that comes and goes).
    expect(await asked(intake, {}, 4)).toEqual(['path.via_nat', 'tcp.connect_ms', 'dns.resolve_ms', 'proc.top_role']);
  });

  it('asks the round trip and loss of a slow service without a ping verdict first', async () => {
    // The three numbers of one ping run open together.
    for (const fact of ['ping.rtt_avg_ms', 'ping.rtt_max_ms', 'ping.loss_pct']) {
      const holds = (facts: FactMap) => askIfHolds(kb, fact, facts);
      expect(holds({ 'symptom.kind': 'slow' })).toBe(true);
      expect(holds({ 'ping.result': 'ok' })).toBe(true);
      expect(holds({ 'ping.result': 'partial_loss' })).toBe(true);
      expect(holds({ 'symptom.kind': 'unreachable', 'ping.result': 'fail' })).toBe(false);
      expect(holds({ 'symptom.kind': 'errors' })).toBe(false);
    }
    const intake = { 'symptom.kind': 'slow', 'symptom.scope': 'some_clients', 'symptom.intermittent': false };
    // The lookup comes before TCP's reordering counters (nstat, a shell on the host), since a fixed
    // lookup stall can be the parallel A/AAAA queries anywhere; the connect time comes first since
    // an IPv6 attempt given up before IPv4 is a fixed connect delay on some clients too. (A fixed
    // per-request delay was fourth until "are other services failing too?" joined the facts the
    // cheap bound shortlists (MAX_VALUED); it is asked twelfth now.) Whether only large transfers
    // are slow, a question the reporter can answer at once, comes before TCP's counters. The status
    // is not asked: its command is the curl -w the connect time's question ran, answered "don't know".
    expect(await asked(intake, {}, 6)).toEqual(['tcp.connect_ms', 'dns.resolve_ms', 'target.protocol', 'symptom.large_transfers', 'ping.rtt_avg_ms', 'http.fixed_delay_ms']);
  });

  it('asks how long the lookup takes once a request by name is slow or times out', async () => {
    const holds = (facts: FactMap) => askIfHolds(kb, 'dns.resolve_ms', facts);
    expect(holds({ 'symptom.kind': 'slow' })).toBe(true);
    expect(holds({ 'symptom.kind': 'timeout' })).toBe(true);
    expect(holds({ 'dns.result': 'ok' })).toBe(true);
    expect(holds({ 'symptom.kind': 'errors', 'dns.result': 'nxdomain' })).toBe(false);
    expect(holds({ 'symptom.kind': 'connection_reset' })).toBe(false);
    const intake = { 'target.protocol': 'dns', 'symptom.kind': 'slow', 'symptom.scope': 'single_client' };
    expect(await asked(intake, {}, 2)).toEqual(['dns.resolve_ms', 'dns.search_expansion']);
  });

  it('asks whether other clients get through once the handshake hangs or a fatal alert was logged', async () => {
    const holds = (facts: FactMap) => askIfHolds(kb, 'tls.other_clients_ok', facts);
    expect(holds({ 'tls.handshake': 'failed' })).toBe(true);
    expect(holds({ 'tls.handshake': 'timeout' })).toBe(true);
    expect(holds({ 'tls.alert': 'certificate_expired' })).toBe(true);
    expect(holds({ 'tls.handshake': 'ok' })).toBe(false);
    expect(holds({ 'target.protocol': 'https', 'symptom.kind': 'errors' })).toBe(false);
    // Who else fails is not in the ticket (all clients would say it: tls.expired_alert_for_every_client).
    const intake = { 'target.protocol': 'https', 'symptom.kind': 'errors', 'symptom.recent_change': true, 'tls.alert': 'certificate_expired' };
    // The alert says the handshake failed (it is not asked again).
    expect(await asked(intake, {}, 3)).toEqual(['tls.cert_days_left', 'tls.failed_cert', 'tls.other_clients_ok']);
  });

  it('asks which tier answered once errors are reported, before the status or the path is known', async () => {
    const holds = (facts: FactMap) => askIfHolds(kb, 'http.error_source', facts);
    expect(holds({ 'path.via_lb': true, 'symptom.kind': 'errors' })).toBe(true);
    expect(holds({ 'symptom.kind': 'errors' })).toBe(true);
    expect(holds({ 'http.status': 502 })).toBe(true);
    expect(holds({ 'http.status': 502, 'symptom.kind': 'slow' })).toBe(true);
    expect(holds({ 'path.via_lb': true, 'symptom.kind': 'slow' })).toBe(false);
    expect(holds({ 'symptom.kind': 'timeout' })).toBe(false);
    expect(holds({ 'http.status': 404 })).toBe(false);
    expect(holds({})).toBe(false);
  });

  it('asks what the database or store shows as its limit once the service is slow, before traces name a downstream call', async () => {
    const holds = (facts: FactMap) => askIfHolds(kb, 'app.dependency_bottleneck', facts);
    expect(holds({ 'symptom.kind': 'slow' })).toBe(true);
    expect(holds({ 'symptom.kind': 'timeout' })).toBe(true);
    expect(holds({ 'app.slow_dependency': true })).toBe(true);
    expect(holds({ 'symptom.kind': 'errors' })).toBe(false);
    expect(holds({ 'symptom.kind': 'unreachable' })).toBe(false);
    expect(holds({})).toBe(false);
    // A slow service after a change, nothing else known: the store's disk answer names the disk (asked 18th
    // once every earlier question got "don't know", after the host's CPU (one top for its shares and
    // its busiest process), lookup and connect, whether other services fail too, swapping, an APM
    // agent, whether the group reclaims at its memory limit, whether the release restarts, the
    // cgroup's CPU throttling, the resolver's search list and the process's syscall rate; iowait, read
    // from vmstat, swapping's command, is not asked once that command got "don't know").
    const intake = { 'symptom.kind': 'slow', 'symptom.scope': 'all_clients', 'symptom.recent_change': true };
    const order = await asked(intake, {}, 20);
    expect([order.indexOf('app.dependency_bottleneck'), order.indexOf('cgroup.memory_reclaiming_at_limit'), order.includes('host.iowait_pct')]).toEqual([17, 12, false]);
  });

  it('does not ask what the facts rule out (askUnless): no HTTP status, first byte or error page after a TLS handshake that failed or a name that did not resolve, no TLS handshake on plain HTTP', async () => {
    for (const fact of ['http.status', 'http.ttfb_ms', 'http.error_source']) {
      const holds = (facts: FactMap) => askIfHolds(kb, fact, facts);
      // Each question's own askIf holds here (the tier that wrote an error page is asked on errors).
      const asked: FactMap = { 'symptom.kind': fact === 'http.error_source' ? 'errors' : 'timeout' };
      expect(holds({ ...asked, 'tls.handshake': 'failed' }), fact).toBe(false);
      expect(holds({ ...asked, 'tls.handshake': 'timeout' }), fact).toBe(false);
      expect(holds({ ...asked, 'dns.result': 'nxdomain' }), fact).toBe(false);
      // Near misses and absences: a handshake that completed, a name that resolved, nothing known of either.
      expect(holds({ ...asked, 'tls.handshake': 'ok', 'dns.result': 'ok' }), fact).toBe(true);
      expect(holds(asked), fact).toBe(true);
    }
    const tls = (facts: FactMap) => askIfHolds(kb, 'tls.handshake', facts);
    expect(tls({ 'target.protocol': 'http', 'tcp.connect': 'ok' })).toBe(false);
    expect(tls({ 'target.protocol': 'https' })).toBe(true);
    expect(tls({ 'tcp.connect': 'ok' })).toBe(true);
    // The shipped example on plain HTTP lists no TLS fact as missing.
    const missing = (await diagnoseFacts({ 'target.protocol': 'http', 'tcp.connect': 'ok', 'symptom.kind': 'slow' })).missing.map((m) => m.fact);
    expect(missing.filter((fact) => fact.startsWith('tls.'))).toEqual([]);
  });

  it('asks no HTTP status, error page or direct status of a service that speaks no HTTP (a database, a broker, DNS)', async () => {
    const errors: FactMap = { 'symptom.kind': 'errors', 'path.via_lb': true };
    for (const fact of ['http.status', 'http.error_source', 'http.direct_status']) {
      const holds = (facts: FactMap) => askIfHolds(kb, fact, facts);
      for (const protocol of ['tcp', 'udp', 'dns']) expect(holds({ ...errors, 'target.protocol': protocol }), `${fact} ${protocol}`).toBe(false);
      // Near misses and absence: HTTP, HTTPS, gRPC (on HTTP/2), a protocol the ticket calls other, none known.
      for (const protocol of ['http', 'https', 'grpc', 'other']) expect(holds({ ...errors, 'target.protocol': protocol }), `${fact} ${protocol}`).toBe(true);
      expect(holds(errors), fact).toBe(true);
    }
    // A slow plain-TCP service behind an LB (a database through an NLB): the interview asks on without the status.
    expect(await asked({ 'symptom.kind': 'slow', 'path.via_lb': true, 'target.protocol': 'tcp' }, {}, 4)).toEqual(['tcp.reordering', 'symptom.scope', 'tcp.connect_ms', 'symptom.intermittent']);
    expect(await asked({ 'symptom.kind': 'slow', 'path.via_lb': true, 'target.protocol': 'http' }, {}, 2)).toEqual(['symptom.scope', 'http.status']);
  });

  it('asks whether clients get different addresses once some clients fail after a change, before any DNS answer (lab 206, cases 06 and 06b)', () => {
    const holds = (facts: FactMap) => askIfHolds(kb, 'dns.answer_mismatch', facts);
    // A stale answer fails the clients whose resolver or process still caches the old address.
    expect(holds({ 'symptom.recent_change': true, 'symptom.scope': 'some_clients' })).toBe(true);
    expect(holds({ 'symptom.recent_change': true, 'symptom.scope': 'single_client' })).toBe(true);
    // Every client failing, or no change, is not that pattern; a resolved name or a proxy still is.
    expect(holds({ 'symptom.recent_change': true, 'symptom.scope': 'all_clients' })).toBe(false);
    expect(holds({ 'symptom.recent_change': false, 'symptom.scope': 'some_clients' })).toBe(false);
    expect(holds({ 'symptom.scope': 'some_clients' })).toBe(false);
    expect(holds({ 'dns.result': 'ok' })).toBe(true);
    expect(holds({ 'path.via_lb': true })).toBe(true);
    // An address as the target looks nothing up.
    expect(holds({ 'symptom.recent_change': true, 'symptom.scope': 'some_clients', 'target.host_is_ip': true })).toBe(false);
    expect(kb.questions.get('dns.answer_mismatch')?.value).toMatchObject({ how: 'dig {{target.host}}', paste: 'dig' });
  });

  it('asks what the proxy log says first on a 502 after a deploy: a comparison with a side the ticket gave (http.status) does not jump the queue', async () => {
    const ticket: FactMap = { 'symptom.kind': 'errors', 'http.status': 502, 'symptom.recent_change': true, 'path.via_lb': true };
    const step = await nextQuestion(kb, { facts: ticket, unknown: [] });
    expect(step.question?.fact).toBe('proxy.upstream_error');
    // A comparison of two numbers no table weighs is still asked in a row: one keep-alive timeout known, the other comes next.
    const pair = await nextQuestion(kb, { facts: { 'symptom.kind': 'errors', 'http.status': 502, 'path.via_lb': true, 'lb.idle_timeout_s': 60 }, unknown: [] });
    expect(pair.question?.fact).toBe('backend.keepalive_timeout_s');
  });

  it('does not stop at a mechanism only the ticket\'s surface supports: the LB timed out, so it asks on for the cause behind it', async () => {
    const surface: FactMap = { 'symptom.kind': 'timeout', 'path.via_lb': true, 'http.status': 504, 'http.error_source': 'lb', 'proxy.upstream_error': 'read_timeout' };
    const step = await nextQuestion(kb, { facts: surface, unknown: [] });
    expect(step.diagnosis.hypotheses[0]?.id).toBe('lb.backend_timeout');
    expect(step.diagnosis.hypotheses[0]?.confidence).toBeGreaterThan(0.8);
    expect([step.done, step.reason]).toEqual([false, null]);
    // The LB's 504 and its log's "upstream timed out" are one timeout seen twice: their two rules (0.5 each) count as one 0.5, not 0.75.
    const scored = (await assess(kb, surface)).scored.find((h) => h.id === 'lb.backend_timeout');
    expect([scored?.cfs, scored?.belief.net]).toEqual([[0.5, 0.5], 0.5]);
    // An engineer who has answered nothing the interview asked (three readings, nine "don't know"s: a rate of 4.75 / 15.5) is told the mechanism and its check.
    const nine = ['symptom.scope', 'target.protocol', 'http.latency_ms', 'proc.workers_busy_pct', 'tcp.connect', 'app.slow_dependency', 'http.direct_status', 'dns.result', 'ping.result'];
    const told = await nextQuestion(kb, { facts: surface, unknown: nine });
    expect([told.done, told.reason, told.tellApart?.leaders]).toEqual([true, 'confident', ['lb.backend_timeout']]);
    expect((await nextQuestion(kb, { facts: surface, unknown: nine.slice(0, 8) })).done).toBe(false);
    // The pool behind it, every worker busy: a cause the rules read beyond the surface, and the interview stops on it.
    const found = await nextQuestion(kb, { facts: { ...surface, 'proc.workers_busy_pct': 100 }, unknown: [] });
    expect([found.done, found.reason, found.diagnosis.hypotheses[0]?.id]).toEqual([true, 'confident', 'system.worker_pool_exhausted']);
  });
});

