import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assess } from '../../src/core/evaluate.js';
import { answerChances, answerRate, nextQuestion, planQuestions, priorAnswerChance, rankQuestions, sourceOf, type InterviewState } from '../../src/core/interview.js';
import { loadKnowledgeBase } from '../../src/core/kb.js';
import { packageRoot } from '../../src/core/paths.js';

// The interview fixture with a pack: a rule comparing lb.idle_timeout_s and backend.keepalive_timeout_s,
// and lb.backend_health read, like lb.idle_timeout_s, from the LB's API.
const fixtures = join(packageRoot, 'test', 'fixtures');
const kb = loadKnowledgeBase([join(fixtures, 'interview-kb'), join(fixtures, 'interview-kb-pairs')]);

async function plan(state: InterviewState) {
  const assessment = await assess(kb, state.facts);
  const chosen = rankQuestions(kb, state, assessment);
  return { chosen: chosen.map((q) => q.fact), planned: planQuestions(kb, state, assessment, chosen) };
}

/** The host's CPU questions' top (rules/commands.yaml, top_snapshot): the first check of the CPU causes too. */
const TOP = 'top -b -n 2 -d 1 -c -w 512 -o %CPU | grep -A 14 \'^top - \'; echo "# nproc: $(nproc)"';

describe('"don\'t know" lowers the value of the same source\'s other questions', () => {
  it('names a source by namespace and the program of the command that finds the answer', () => {
    expect(['lb.idle_timeout_s', 'lb.backend_health', 'ping.result', 'tcp.connect', 'path.via_lb', 'http.status'].map((f) => sourceOf(kb, f))).toEqual([
      'lb aws',
      'lb aws',
      'ping ping',
      'tcp nc',
      'path.via_lb',
      'http.status',
    ]);
  });

  it('rates the engineer by the readings they gave against their "don\'t know"s, from an even prior; the ticket\'s shape does not count', () => {
    expect(answerRate({ facts: {}, unknown: [] })).toBe(0.5);
    // (3.5 x 0.5 + 1 reading) / (3.5 + 1 + 1 "don't know"); path.via_lb is the ticket's shape.
    expect(answerRate({ facts: { 'ping.result': 'ok', 'path.via_lb': true }, unknown: ['tcp.connect'] })).toBe(0.5);
    expect(answerRate({ facts: { 'path.via_lb': true }, unknown: ['http.status', 'ping.result', 'tcp.connect'] })).toBeCloseTo(1.75 / 6.5, 10);
  });

  it('halves the chance of a question from a source the engineer said "don\'t know" to, and raises one they answered from', () => {
    // Effort medium, a prior chance of 0.4 worth 8 answers, after 1 reading and 1 "don't know": (3.2 + 1) / 10 = 0.42
    // before anything is known of the source.
    const chance = answerChances(kb, { facts: { 'ping.result': 'ok' }, unknown: ['lb.idle_timeout_s'] });
    expect(['lb.backend_health', 'ping.loss_pct', 'tcp.connect'].map(chance)).toEqual([0.21000000000000002, 0.71, 0.42000000000000004]);
    // An answer from the source shows it can be seen after all: (0.42 + 1 answer) / (1 + 1 answer + 1 "don't know").
    expect(answerChances(kb, { facts: { 'lb.backend_health': 'all_healthy' }, unknown: ['lb.idle_timeout_s'] })('lb.idle_timeout_s')).toBeCloseTo(1.42 / 3, 10);
  });

  it('asks no question whose command the engineer already said "don\'t know" to: one grep of dmesg finds the OOM kills, the conntrack drops and the neighbour overflows alike', async () => {
    // Pods timing out for everyone after a change, their lookups too: a full conntrack table is worth asking about.
    const facts = { 'symptom.kind': 'timeout', 'path.k8s': true, 'symptom.scope': 'all_clients', 'symptom.recent_change': true, 'dns.result': 'timeout' };
    const shippedKb = loadKnowledgeBase([join(packageRoot, 'rules')]);
    const ranked = async (unknown: string[]) => rankQuestions(shippedKb, { facts, unknown }, await assess(shippedKb, facts)).map((q) => q.fact);
    expect(await ranked([])).toContain('kernel.conntrack_full');
    // The same command, "don't know": not asked.
    expect(await ranked(['kernel.neigh_table_overflow'])).not.toContain('kernel.conntrack_full');
    expect(await ranked(['host.oom_kills'])).not.toContain('kernel.conntrack_full');
    // Near miss: another command of the same source (the kernel's counters, nstat) spares nothing.
    expect(await ranked(['kernel.listen_overflows'])).toContain('kernel.conntrack_full');
  });

  it('asks the same source\'s next question later than the choice alone would', async () => {
    const { chosen, planned } = await plan({ facts: { 'path.via_lb': true }, unknown: ['lb.idle_timeout_s'] });
    expect(chosen).toEqual(['http.status', 'ping.result', 'lb.backend_health', 'tcp.connect', 'http.direct_status']);
    expect(planned.map((q) => q.fact)).toEqual(['http.status', 'ping.result', 'tcp.connect', 'http.direct_status', 'lb.backend_health']);
  });
});

describe('comparisons asked together', () => {
  it('asks the other side of a comparison right after one side is known, valued on answers either side of the known one', async () => {
    const state = { facts: { 'path.via_lb': true, 'lb.idle_timeout_s': 60 }, unknown: [] };
    const { chosen, planned } = await plan(state);
    expect(chosen).toContain('backend.keepalive_timeout_s');
    expect(planned[0]).toMatchObject({ fact: 'backend.keepalive_timeout_s', separates: ['lb.keepalive_race'], changesTop: true, completes: 'lb.idle_timeout_s' });
    expect(planned[0]?.score).toBeGreaterThan(0);
    expect(planned[0]).not.toHaveProperty('pairedWith');
    const step = await nextQuestion(kb, state);
    expect(step.question).toMatchObject({ fact: 'backend.keepalive_timeout_s', why: { separates: ['lb.keepalive_race'], rules: ['keepalive_not_longer'] } });
    expect(step.question?.score).toBeGreaterThan(0);
  });

  it('pursues a comparison neither side of which is known: one side, naming the other, then the other right after its answer', async () => {
    // Three LB causes even; the keep-alive race turns on the comparison alone, which neither side decides by itself.
    const facts = { 'path.via_lb': true, 'http.status': 502 };
    const { chosen, planned } = await plan({ facts, unknown: [] });
    expect(chosen[0]).toBe('backend.keepalive_timeout_s');
    expect(planned[0]).toMatchObject({ fact: 'backend.keepalive_timeout_s', pairedWith: 'lb.idle_timeout_s', separates: ['lb.keepalive_race'], completes: null });
    // The pair's worth: its information times the other side's chance, per the effort expected (the first side's, and the other's when it is answered).
    expect(planned[0]?.score).toBeCloseTo(0.014, 4);
    const first = await nextQuestion(kb, { facts, unknown: [] });
    expect(first.question).toMatchObject({ fact: 'backend.keepalive_timeout_s', why: { separates: ['lb.keepalive_race'], rules: ['keepalive_not_longer'], pairedWith: 'lb.idle_timeout_s' } });
    const second = await nextQuestion(kb, { facts: { ...facts, 'backend.keepalive_timeout_s': 5 }, unknown: [] });
    expect(second.question?.fact).toBe('lb.idle_timeout_s');
    expect(second.question?.why).not.toHaveProperty('pairedWith');
    // "Don't know" to the first side: the other is worth nothing alone, so something else comes next.
    const afterDontKnow = await plan({ facts, unknown: ['backend.keepalive_timeout_s'] });
    expect(afterDontKnow.chosen).not.toContain('lb.idle_timeout_s');
    expect((await nextQuestion(kb, { facts, unknown: ['backend.keepalive_timeout_s'] })).question?.fact).toBe('ping.result');
  });

  it('asks first the side the engineer is less likely to answer: a "don\'t know" to it spares the other', async () => {
    // A "don't know" to the LB's API halves the chance of its idle timeout, so that side goes first.
    const { planned } = await plan({ facts: { 'path.via_lb': true, 'http.status': 502 }, unknown: ['lb.backend_health'] });
    expect(planned.filter((q) => q.pairedWith !== undefined).map((q) => [q.fact, q.pairedWith])).toEqual([['lb.idle_timeout_s', 'backend.keepalive_timeout_s']]);
  });

  it('does not ask it when the comparison is decided, or the engineer cannot tell', async () => {
    expect((await plan({ facts: { 'path.via_lb': false, 'lb.idle_timeout_s': 60 }, unknown: [] })).planned.map((q) => q.fact)).not.toContain('backend.keepalive_timeout_s');
    expect((await nextQuestion(kb, { facts: { 'path.via_lb': true, 'lb.idle_timeout_s': 60 }, unknown: ['backend.keepalive_timeout_s'] })).question?.fact).not.toBe('backend.keepalive_timeout_s');
  });
});

describe('a stop when the rest is not worth asking', () => {
  const sixDontKnows = ['http.status', 'ping.result', 'tcp.connect', 'lb.idle_timeout_s', 'ping.loss_pct', 'backend.keepalive_timeout_s'];
  const fixtureOnly = loadKnowledgeBase([join(fixtures, 'interview-kb')]);

  it('stops with "A or B or C, run X" once the engineer has said "don\'t know" too often, naming a third cause when two hold less than half', async () => {
    // Six "don't know"s and no reading: an answer rate of 1.75 / 9.5, under 0.2.
    const step = await nextQuestion(kb, { facts: { 'path.via_lb': true }, unknown: sixDontKnows });
    expect(step).toMatchObject({
      done: true,
      reason: 'unknowable',
      question: null,
      // lb.backend_health ("don't know") tells the two LB causes apart; no question left with a
      // command moves the keep-alive race and another leader, so its own check names it.
      tellApart: { leaders: ['lb.health_check_misconfigured', 'lb.keepalive_race', 'lb.no_healthy_backend'], commands: ['aws elbv2 describe-target-health --target-group-arn ARN', "curl -sv --keepalive-time 70 '<target.url>'"] },
    });
  });

  it('asks on after five "don\'t know"s (a rate of 1.75 / 8.5), and after six from an engineer who gave a reading', async () => {
    expect((await nextQuestion(kb, { facts: { 'path.via_lb': true }, unknown: sixDontKnows.slice(0, 5) })).question?.fact).toBe('http.direct_status');
    const afterReading = ['http.status', 'tcp.connect', 'lb.idle_timeout_s', 'ping.loss_pct', 'backend.keepalive_timeout_s', 'lb.backend_health'];
    expect((await nextQuestion(kb, { facts: { 'path.via_lb': true, 'ping.result': 'ok' }, unknown: afterReading })).question?.fact).toBe('http.direct_status');
    expect((await nextQuestion(kb, { facts: { 'path.via_lb': true }, unknown: sixDontKnows }, { minAnswerRate: 0.1 })).done).toBe(false);
  });

  it('asks on through "don\'t know"s while no short list of causes holds half the probability, and stops once one does', async () => {
    // On the shipped KB, "errors" alone leaves 52 causes near even: six "don't know"s (a rate of
    // 1.75 / 9.5) are no reason to stop, since "A or B (or C)" would name causes that hold 0.19 together.
    const shipped = loadKnowledgeBase([join(packageRoot, 'rules')]);
    const broad = await nextQuestion(shipped, { facts: { 'symptom.kind': 'errors' }, unknown: ['ping.result', 'tcp.connect', 'tls.handshake', 'dns.result', 'proc.top_role', 'host.cpu_pct'] });
    expect({ done: broad.done, fact: broad.question?.fact }).toEqual({ done: false, fact: 'http.status' });
    // An intermittent 502 through an LB: two causes hold 0.67, and ten "don't know"s against one
    // reading (a rate of 2.75 / 14.5) stop with the command that tells them apart.
    const facts = { 'symptom.kind': 'errors', 'http.status': 502, 'path.via_lb': true, 'symptom.intermittent': true };
    const unknown = ['ping.result', 'tcp.connect', 'tls.handshake', 'dns.result', 'http.direct_status', 'lb.idle_timeout_s', 'backend.keepalive_timeout_s', 'lb.backend_health', 'proc.top_role', 'host.cpu_pct'];
    expect(await nextQuestion(shipped, { facts, unknown })).toMatchObject({
      done: true,
      reason: 'unknowable',
      tellApart: { leaders: ['lb.idle_timeout_mismatch', 'lb.response_header_too_large'] },
    });
  });

  it('stops through "don\'t know"s under the no_known_cause verdict, broad as the known causes are: saying the cause lies outside the KB is an answer', async () => {
    // Errors for every client while other services fail too: "no known cause" holds 0.81 and the
    // three known leaders under 0.09 together, a downstream the services share first. Six "don't
    // know"s stop it (a rate of 1.75 / 9.5), five do not: the fifth asks the application's log for
    // a downstream's refusals.
    const shipped = loadKnowledgeBase([join(packageRoot, 'rules')]);
    const facts = { 'symptom.kind': 'errors', 'symptom.scope': 'all_clients', 'symptom.other_services_affected': true };
    const unknown = ['http.status', 'dns.result', 'path.via_lb', 'target.protocol', 'host.disk_used_pct', 'tcp.connect'];
    const asking = await nextQuestion(shipped, { facts, unknown: unknown.slice(0, 5) });
    expect([asking.diagnosis.verdict, asking.question?.fact]).toEqual(['no_known_cause', 'app.dependency_errors']);
    expect(await nextQuestion(shipped, { facts, unknown })).toMatchObject({
      done: true,
      reason: 'unknowable',
      diagnosis: { verdict: 'no_known_cause', otherCause: 0.8103 },
      tellApart: { leaders: ['app.dependency_failing', 'lb.no_healthy_backend', 'lb.health_check_misconfigured'] },
    });
  });

  it('asks on through "don\'t know"s when "no known cause" holds about half, under the bar a confident leader must reach (0.6)', async () => {
    // Intermittent errors for every client, nothing else: no known cause holds 0.50, but a finding
    // may yet name a known cause; six "don't know"s do not stop it. (Intermittent errors alone
    // became a differential with app.rate_limited, a limiter refusing a client's peaks, and with
    // app.dependency_failing, a database refusing connections at the peaks.)
    const shipped = loadKnowledgeBase([join(packageRoot, 'rules')]);
    const facts = { 'symptom.kind': 'errors', 'symptom.intermittent': true, 'symptom.scope': 'all_clients' };
    const unknown = ['http.status', 'path.via_lb', 'tcp.connect', 'symptom.other_services_affected', 'target.protocol', 'dns.result'];
    const step = await nextQuestion(shipped, { facts, unknown });
    expect([step.done, step.diagnosis.verdict, step.diagnosis.otherCause, step.question?.fact]).toEqual([false, 'differential', 0.4999, 'host.disk_used_pct']);
  });

  it('stops when no question\'s worth (bits x chance of an answer / effort) reaches minWorth and none could put another cause first', async () => {
    const state = { facts: { 'ping.result': 'partial_loss' }, unknown: [] };
    // ping.loss_pct is worth 0.029: asked under the default 0.01, not under 0.05.
    expect((await nextQuestion(fixtureOnly, state)).question?.fact).toBe('ping.loss_pct');
    expect(await nextQuestion(fixtureOnly, state, { minWorth: 0.05 })).toMatchObject({
      done: true,
      reason: 'unknowable',
      tellApart: { leaders: ['network.packet_loss', 'lb.health_check_misconfigured'], commands: ["mtr -rwc 50 '<target.host>'", "curl -sv '<target.url>'"], fillIn: ['target.host', 'target.url'] },
    });
    // Once the target is known, the commands are ready to run: nothing to fill in.
    const known = await nextQuestion(fixtureOnly, { ...state, facts: { ...state.facts, 'target.host': 'shop.example', 'target.url': 'https://shop.example/' } }, { minWorth: 0.05 });
    expect(known.tellApart).toEqual({ leaders: ['network.packet_loss', 'lb.health_check_misconfigured'], commands: ['mtr -rwc 50 shop.example', 'curl -sv https://shop.example/'] });
  });

  it('challenges a confident leader while the engineer answers, and names it once they mostly cannot', async () => {
    // An APM agent on a slow service that the engineer sees at the top of the host (the corpus's
    // newrelic-node-agent-eats-cpu): the agent leads at 0.75, and a strace of the app could still
    // put a syscall storm first.
    const shipped = loadKnowledgeBase([join(packageRoot, 'rules')]);
    const facts = { 'symptom.kind': 'slow', 'app.apm_agent': true, 'path.k8s': false, 'proc.top_role': 'apm_agent' };
    const dontKnows = ['symptom.scope', 'proc.top_cpu_pct', 'host.cpu_pct', 'symptom.recent_change', 'http.status', 'ping.result', 'strace.syscalls_per_s'];
    // Two readings against five "don't know"s, a rate of 3.75 / 10.5 (0.36): asked on.
    const answering = await nextQuestion(shipped, { facts, unknown: dontKnows.slice(0, 5) });
    expect([answering.done, answering.diagnosis.hypotheses[0]?.id]).toEqual([false, 'system.agent_cpu_overhead']);
    // Against seven, a rate of 3.75 / 12.5 (0.30): the leader, with the check that confirms it.
    const stopped = await nextQuestion(shipped, { facts, unknown: dontKnows });
    expect([stopped.done, stopped.reason, stopped.tellApart?.leaders]).toEqual([true, 'confident', ['system.agent_cpu_overhead']]);
    expect(answerRate({ facts, unknown: dontKnows })).toBeCloseTo(0.3, 5);
  });

  it('keeps asking a question whose answer could put another cause first, whatever its worth', async () => {
    // ping.result is worth 0.011, but a failing ping would make the ICMP filter the leader.
    const [best] = planQuestions(fixtureOnly, { facts: {}, unknown: [] }, await assess(fixtureOnly, {}), rankQuestions(fixtureOnly, { facts: {}, unknown: [] }, await assess(fixtureOnly, {})));
    expect([best?.fact, best?.changesTop, (best?.score ?? 1) < 0.05]).toEqual(['ping.result', true, true]);
    expect((await nextQuestion(fixtureOnly, { facts: {}, unknown: [] }, { minWorth: 0.05 })).question?.fact).toBe('ping.result');
  });
});

describe('"A or B; run X": X finds out a fact still unknown that tells the leaders apart', () => {
  const shipped = loadKnowledgeBase([join(packageRoot, 'rules')]);

  it('names the command whose answer tells the leaders apart, not one that moves them all alike (intermittent 502s through an LB)', async () => {
    // Every leader moves with how the reporter sees the failure (errors or resets), but only the
    // proxy's error log says which: the upstream reset the kept-alive connection, refused it, or
    // sent a header too big. (Not only large transfers: the LB causes share half the probability.)
    // The end of the interview: the three leaders hold just under half, so it asks on (the process's
    // restarts, OOM kills, ping, the backend's keep-alive timeout, ...) until nothing is worth asking.
    const facts = { 'path.via_lb': true, 'http.status': 502, 'symptom.intermittent': true, 'symptom.large_transfers': false };
    const firstTen = ['http.direct_status', 'symptom.kind', 'proxy.upstream_error', 'tcp.connect', 'http.error_source', 'lb.backend_health', 'http.response_header_bytes', 'target.protocol', 'symptom.other_services_affected', 'symptom.scope'];
    const askedOn = ['proc.restarts', 'host.oom_kills', 'ping.result', 'backend.keepalive_timeout_s', 'kernel.ephemeral_ports_used_pct', 'dns.result', 'proc.eaddrnotavail_errors', 'tcp.rst_seen', 'symptom.recent_change', 'kernel.listen_overflows', 'proc.workers_busy_pct', 'proc.emfile_errors', 'kernel.time_wait_count', 'kernel.conntrack_full', 'host.swapping'];
    expect((await nextQuestion(shipped, { facts, unknown: firstTen })).question?.fact).toBe('proc.restarts');
    const unknown = [...firstTen, ...askedOn];
    const step = await nextQuestion(shipped, { facts, unknown });
    expect(step).toMatchObject({ done: true, reason: 'unknowable', tellApart: { leaders: ['lb.idle_timeout_mismatch', 'lb.response_header_too_large', 'lb.backend_refused'] } });
    expect(step.tellApart?.commands[0]).toBe("{ tail -n 200 /var/log/nginx/error.log | grep -iE 'upstream|limiting (requests|connections)'; grep -E '\" 499 ' /var/log/nginx/access.log | tail -n 20; }");
  });

  it('never names the command of a fact already known (ALB 503, docs/interview-transcripts/alb-503-default-healthcheck-path-empire.md)', async () => {
    // The transcript's end: the LB's backend health is answered, ten questions "don't know".
    const facts = { 'http.status': 503, 'symptom.kind': 'errors', 'symptom.scope': 'all_clients', 'symptom.intermittent': false, 'path.via_lb': true, 'lb.backend_health': 'all_unhealthy', 'http.error_source': 'lb' };
    const unknown = ['http.direct_status', 'proxy.upstream_error', 'symptom.recent_change', 'proc.restarts', 'tcp.connect', 'target.protocol', 'host.cpu_pct', 'proc.workers_busy_pct', 'proc.emfile_errors', 'dns.result', 'lb.health_check_status', 'http.direct_latency_ms'];
    const step = await nextQuestion(shipped, { facts, unknown });
    expect(step).toMatchObject({ done: true, reason: 'unknowable', tellApart: { leaders: ['lb.no_healthy_backend', 'lb.health_check_misconfigured'] } });
    expect(step.tellApart?.commands).toEqual(["curl -g -sS -o /dev/null --max-time 90 -w 'http_code=%{http_code} time_total=%{time_total} exitcode=%{exitcode}\\n' http://'<backend.host>':'<backend.port>'/"]);
  });

  it('names the command of the question answered "don\'t know" whose answer tells the leaders apart, also when no question is left', async () => {
    // lb.backend_health decides between the two LB causes; its question's command is the LB's API.
    const unknown = ['lb.idle_timeout_s', 'lb.backend_health', 'backend.keepalive_timeout_s', 'ping.result', 'tcp.connect', 'http.direct_status'];
    expect(await nextQuestion(kb, { facts: { 'path.via_lb': true, 'http.status': 503 }, unknown })).toMatchObject({
      done: true,
      reason: 'unknowable',
      tellApart: { leaders: ['lb.health_check_misconfigured', 'lb.no_healthy_backend'], commands: ['aws elbv2 describe-target-health --target-group-arn ARN'] },
    });
  });

  it('names the leader alone, with the check that confirms it, when the runner-up holds less than a tenth of its probability (docs/interview-transcripts/newrelic-node-agent-eats-cpu.md)', async () => {
    // The transcript's end: the busiest process is the APM agent, fourteen questions "don't know";
    // the leader holds 0.72, the runner-up 0.03: "A or B" would send the engineer after B. (With
    // whether only large transfers are slow still open, a stripped window scale could yet lead.)
    const facts = { 'symptom.kind': 'slow', 'app.apm_agent': true, 'proc.top_role': 'apm_agent' };
    const unknown = ['proc.top_cpu_pct', 'host.cpu_pct', 'symptom.scope', 'ping.result', 'http.status', 'target.protocol', 'app.slow_dependency', 'dns.resolve_ms', 'symptom.recent_change', 'tcp.connect_ms', 'symptom.intermittent', 'tcp.reordering', 'strace.top_syscall_pct', 'tcp.connect', 'symptom.large_transfers'];
    const step = await nextQuestion(shipped, { facts, unknown });
    expect(step.diagnosis.hypotheses.slice(0, 2).map((h) => [h.id, h.confidence])).toEqual([
      ['system.agent_cpu_overhead', 0.7171],
      ['network.nagle_delayed_ack', 0.0254],
    ]);
    // Clearly ahead, and nothing left likely enough to unseat it to be worth a question: the confident stop names it with its check.
    expect(step).toMatchObject({ done: true, reason: 'confident', tellApart: { leaders: ['system.agent_cpu_overhead'], commands: [TOP] } });
  });

  it('confirms the leader with a check that runs no named command whose readings are mostly known: not top after a paste of it', async () => {
    // The report after a pasted top (the app's own workers at a core): its first check is the questions' top (run: top_snapshot).
    const facts = { 'symptom.kind': 'slow', 'symptom.scope': 'all_clients', 'path.via_lb': true, 'http.status': 504 };
    const pasted = { 'host.cpu_pct': 50.45, 'host.iowait_pct': 0, 'host.cpu_steal_pct': 0, 'host.cpu_sys_pct': 0.45, 'host.cpu_softirq_pct': 0, 'proc.top_pid': 7896, 'proc.top_name': 'node', 'proc.top_cpu_pct': 100, 'proc.top_role': 'app', 'proc.app_pid': 7896, 'proc.app_cpu_pct': 100, 'host.load_per_cpu': 0.56, 'host.mem_available_pct': 98.44 };
    const step = await nextQuestion(shipped, { facts: { ...facts, ...pasted }, unknown: ['proxy.upstream_error', 'http.error_source', 'proc.app_sys_share_pct'] });
    // Not top again, nor vmstat (iowait's question runs it, and iowait is known): the per-thread pidstat.
    expect(step).toMatchObject({ done: true, reason: 'confident', tellApart: { leaders: ['system.cpu_saturation_app'], commands: ['pidstat -u -t -p 7896 1 5'] } });
    expect(shipped.hypotheses.get('system.cpu_saturation_app')?.value.checks.slice(0, 2).map((c) => c.run)).toEqual(['top_snapshot', 'vmstat']);
    // Near misses: the test above, where the busiest process's role was typed (its question runs ps, not top), and the
    // same with the host's CPU share known too (a dashboard shows it; it is one of the nine readings top prints): top is the check.
    const agent = { 'symptom.kind': 'slow', 'app.apm_agent': true, 'proc.top_role': 'apm_agent', 'host.cpu_pct': 95 };
    const unknown = ['proc.top_cpu_pct', 'symptom.scope', 'ping.result', 'http.status', 'target.protocol', 'app.slow_dependency', 'dns.resolve_ms', 'symptom.recent_change', 'tcp.connect_ms', 'symptom.intermittent', 'tcp.reordering', 'strace.top_syscall_pct', 'tcp.connect', 'symptom.large_transfers'];
    expect(await nextQuestion(shipped, { facts: agent, unknown })).toMatchObject({ done: true, reason: 'confident', tellApart: { leaders: ['system.agent_cpu_overhead'], commands: [TOP] } });
  });

  it("confirms the leader with its first check not run already: not df -h or df -i once their reading is known (the usage question runs both)", async () => {
    const facts = { 'symptom.kind': 'errors', 'http.status': 500, 'symptom.scope': 'all_clients', 'host.disk_used_pct': 100 };
    const step = await nextQuestion(shipped, { facts, unknown: [] });
    expect(step).toMatchObject({ done: true, reason: 'confident', tellApart: { leaders: ['system.disk_full'], commands: ['lsof -nP +L1'] } });
    // Near miss: with the usage unknown, df -h is the check, as the leader lists it first.
    const withoutUsage = { 'symptom.kind': 'errors', 'http.status': 500, 'symptom.scope': 'all_clients' };
    const before = await nextQuestion(shipped, { facts: { ...withoutUsage, 'proc.enospc_errors': true }, unknown: [] });
    expect(before).toMatchObject({ done: true, reason: 'confident', tellApart: { leaders: ['system.disk_full'], commands: ['df -h'] } });
  });

  it('confirms the leader with a check that reads no file a known reading came from: not the nginx error log the proxy\'s upstream error was read from', async () => {
    // Lab 201 case 02: the keep-alive race leads from the pasted error log, whose question read /var/log/nginx/error.log.
    const facts = {
      'symptom.kind': 'errors', 'http.status': 502, 'path.via_lb': true, 'symptom.intermittent': true, 'symptom.scope': 'all_clients', 'target.url': 'http://10.201.2.1:8000/api/orders',
      'proxy.upstream_error': 'reset_by_peer', 'backend.host': '10.201.2.1', 'backend.port': 9001, 'lb.backend_health': 'all_healthy', 'http.error_source': 'lb', 'http.direct_status': 200,
    };
    // The questions asked after it, answered "don't know" (the backend's keep-alive timeout among
    // them: a backend that keeps none cannot race): nothing left is worth asking.
    const unknown = ['tcp.connect', 'http.response_header_bytes', 'backend.keepalive_timeout_s', 'host.oom_kills'];
    const step = await nextQuestion(shipped, { facts, unknown });
    expect(step).toMatchObject({ done: true, tellApart: { leaders: ['lb.idle_timeout_mismatch'], commands: ["tcpdump -ni any -c 200 host 10.201.2.1 and tcp port 9001 and '(tcp[tcpflags] & (tcp-fin|tcp-rst) != 0 or ip6[40+13] & 0x05 != 0)'"] } });
  });

  it('asks no DNS question whose command would look the target up when the target is an IP address', async () => {
    const unknown = ['tls.handshake', 'tcp.connect', 'http.status', 'symptom.other_services_affected', 'symptom.intermittent'];
    const byName = await nextQuestion(shipped, { facts: { 'symptom.kind': 'unreachable', 'symptom.scope': 'all_clients', 'target.url': 'https://shop.example/cart' }, unknown });
    expect(byName.question?.fact).toBe('dns.result');
    const byAddress = await nextQuestion(shipped, { facts: { 'symptom.kind': 'unreachable', 'symptom.scope': 'all_clients', 'target.url': 'https://10.0.0.7/cart' }, unknown });
    expect(byAddress.question?.fact).not.toMatch(/^dns\.(result|resolve_ms)$/);
    expect(byAddress.diagnosis.missing.map((m) => m.fact)).not.toContain('dns.result');
  });

  it('falls back to the leaders\' first checks when no question with a command is left that tells them apart', async () => {
    // In the fixture alone lb.backend_health and http.direct_status have no command.
    const fixtureOnly = loadKnowledgeBase([join(fixtures, 'interview-kb')]);
    const unknown = ['lb.backend_health', 'ping.result', 'tcp.connect', 'http.direct_status'];
    expect(await nextQuestion(fixtureOnly, { facts: { 'path.via_lb': true, 'http.status': 503 }, unknown })).toMatchObject({
      done: true,
      reason: 'unknowable',
      tellApart: { leaders: ['lb.health_check_misconfigured', 'lb.no_healthy_backend'], commands: ["curl -sv '<target.url>'"] },
    });
  });
});

describe('the chance that an answer changes the leader', () => {
  const fixtureOnly = loadKnowledgeBase([join(fixtures, 'interview-kb')]);
  // "No known cause" at 0.43 outweighs the leader, network.packet_loss at 0.25.
  const unsure = loadKnowledgeBase([join(fixtures, 'interview-kb'), join(fixtures, 'interview-kb-unsure')]);
  const partialLoss = { facts: { 'ping.result': 'partial_loss' }, unknown: [] };

  it('is the chance of the answers that would put another cause first, under the current posterior', async () => {
    const state = { facts: {}, unknown: [] };
    const ranked = rankQuestions(fixtureOnly, state, await assess(fixtureOnly, {}));
    expect(ranked.map((q) => [q.fact, q.changesTop, Math.round(q.topChangeChance * 10000) / 10000])).toEqual([
      ['ping.result', true, 0.3688],
      ['http.status', true, 0.3667],
      ['lb.backend_health', true, 0.2849],
      ['http.direct_status', true, 0.3548],
      ['tcp.connect', false, 0],
      ['path.via_lb', true, 0.5169],
    ]);
  });

  it('counts the causes the diagnosis names, not "no known cause": when it outweighs the leader, not every answer changes the top', async () => {
    const ranked = rankQuestions(unsure, partialLoss, await assess(unsure, partialLoss.facts));
    expect(ranked.map((q) => [q.fact, q.changesTop, q.topChangeChance])).toEqual([
      ['ping.loss_pct', false, 0],
      ['lb.backend_health', false, 0],
      ['http.status', false, 0],
      ['http.direct_status', false, 0],
      ['path.via_lb', false, 0],
    ]);
    // So a question below minWorth is no longer kept for "changing the top" to no known cause.
    expect(await nextQuestion(unsure, partialLoss, { minWorth: 0.05 })).toMatchObject({
      done: true,
      reason: 'unknowable',
      tellApart: { leaders: ['network.packet_loss', 'lb.health_check_misconfigured', 'lb.no_healthy_backend'], commands: ["mtr -rwc 50 '<target.host>'", "curl -sv '<target.url>'"] },
    });
  });

  it('with minTopChange, stops as well when no question is worth minWorth and none is that likely to be answered with a change of leader', async () => {
    const state = { facts: {}, unknown: [] };
    const planned = planQuestions(fixtureOnly, state, await assess(fixtureOnly, {}), rankQuestions(fixtureOnly, state, await assess(fixtureOnly, {})));
    // The chance of an answer (0.5 x 0.8 for a medium effort) times the chance it changes the leader.
    expect(planned.map((q) => [q.fact, Math.round(q.score * 10000) / 10000, Math.round(q.movesTop * 10000) / 10000])).toEqual([
      ['ping.result', 0.0112, 0.1475],
      ['http.status', 0.0033, 0.1467],
      ['lb.backend_health', 0.0033, 0.114],
      ['http.direct_status', 0.002, 0.1419],
      ['tcp.connect', 0.0018, 0],
      ['path.via_lb', 0.0006, 0.2068],
    ]);
    // path.via_lb's 0.2068 reaches 0.2: the interview asks on, in its usual order (ping.result first).
    expect((await nextQuestion(fixtureOnly, state, { minWorth: 0.05, minTopChange: 0.2 })).question?.fact).toBe('ping.result');
    // None reaches 0.25 and none is worth 0.05: "A or B or C" (four causes tie at 0.225).
    expect(await nextQuestion(fixtureOnly, state, { minWorth: 0.05, minTopChange: 0.25 })).toMatchObject({
      done: true,
      reason: 'unknowable',
      question: null,
      tellApart: { leaders: ['lb.health_check_misconfigured', 'lb.no_healthy_backend', 'network.icmp_filtered'], commands: ["curl -sv '<target.url>'", "nc -vz '<target.host>' '<target.port>'"] },
    });
    // ping.result is worth 0.0112, over the default minWorth of 0.01: asked whatever minTopChange.
    expect((await nextQuestion(fixtureOnly, state, { minTopChange: 0.25 })).question?.fact).toBe('ping.result');
  });
});

describe('each question\'s prior chance of an answer (answerChance)', () => {
  const fixtureOnly = loadKnowledgeBase([join(fixtures, 'interview-kb')]);
  const withChances = loadKnowledgeBase([join(fixtures, 'interview-kb'), join(fixtures, 'interview-kb-chances')]);
  const start = { facts: {}, unknown: [] };
  const order = async (kbToAsk: typeof kb, state: InterviewState) => {
    const assessment = await assess(kbToAsk, state.facts);
    return planQuestions(kbToAsk, state, assessment, rankQuestions(kbToAsk, state, assessment)).map((q) => q.fact);
  };

  it('is the entry\'s answerChance, or its effort\'s default (low 0.5, medium 0.4, high 0.25)', () => {
    expect(['ping.result', 'http.status', 'tcp.connect'].map((f) => priorAnswerChance(withChances, f))).toEqual([0.1, 0.9, 0.4]);
    expect(priorAnswerChance(kb, 'ping.result')).toBe(0.4);
  });

  it('is the chance before any answer, worth 8 of the engineer\'s answers and "don\'t know"s, then updated by the source\'s', () => {
    expect(['ping.result', 'http.status', 'tcp.connect'].map(answerChances(withChances, start))).toEqual([0.1, 0.9, 0.4]);
    // Two readings and no "don't know": (8 x prior + 2) / 10.
    const chance = answerChances(withChances, { facts: { 'tcp.connect': 'ok', 'http.direct_status': 200 }, unknown: [] });
    expect(['ping.result', 'http.status', 'lb.backend_health'].map(chance)).toEqual([0.27999999999999997, 0.9199999999999999, 0.8400000000000001]);
    // A "don't know" to ping: (8 x 0.4) / 9 for ping.loss_pct, halved as its source's.
    expect(answerChances(withChances, { facts: {}, unknown: ['ping.result'] })('ping.loss_pct')).toBeCloseTo((3.2 / 9) / 2, 10);
  });

  it('lets the engineer\'s own answers outweigh the tier: after 12 readings a 0.1 question is 0.64, a 0.9 one 0.96', () => {
    const facts = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`backend.reading_${i}`, i]));
    const chance = answerChances(withChances, { facts, unknown: [] });
    expect(['ping.result', 'http.status'].map(chance)).toEqual([0.64, 0.96]);
    // And an engineer who cannot answer anything: after 12 "don't know"s, 0.04 and 0.36.
    const unknown = Array.from({ length: 12 }, (_, i) => `backend.unknown_${i}`);
    expect(['ping.result', 'http.status'].map(answerChances(withChances, { facts: {}, unknown }))).toEqual([0.04, 0.36]);
  });

  it('weighs the shortlist and the plan by the chances it is given, so one step builds them once', async () => {
    const assessment = await assess(withChances, {});
    const even = () => 0.5;
    const ranked = rankQuestions(withChances, start, assessment, even);
    // The same chance for every question: the plan keeps the choice's order at half its scores.
    const planned = planQuestions(withChances, start, assessment, ranked, even);
    expect(planned.map((q) => q.fact)).toEqual(ranked.map((q) => q.fact));
    expect(planned.map((q) => q.score)).toEqual(ranked.map((q) => q.score * 0.5));
    // Without chances given, each builds the state's own (answerChances), as nextQuestion does once for both.
    const chance = answerChances(withChances, start);
    expect(planQuestions(withChances, start, assessment, rankQuestions(withChances, start, assessment))).toEqual(planQuestions(withChances, start, assessment, rankQuestions(withChances, start, assessment, chance), chance));
  });

  it('orders the questions by worth times that chance: the status code and the LB\'s view before ping', async () => {
    expect(await order(fixtureOnly, start)).toEqual(['ping.result', 'http.status', 'lb.backend_health', 'http.direct_status', 'tcp.connect', 'path.via_lb']);
    expect(await order(withChances, start)).toEqual(['http.status', 'lb.backend_health', 'ping.result', 'http.direct_status', 'tcp.connect', 'path.via_lb']);
    expect((await nextQuestion(withChances, start)).question?.fact).toBe('http.status');
  });

  it('still asks a rarely answerable question once the leaders need it: ping alone tells the ICMP filter from loss', async () => {
    const state = { facts: { 'tcp.connect': 'ok', 'http.status': 200, 'lb.backend_health': 'all_healthy' }, unknown: [] };
    expect((await nextQuestion(withChances, state)).question?.fact).toBe('ping.result');
  });
});
