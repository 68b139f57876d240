import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { knownReadings, mayBeKnown } from '../../src/core/known-readings.js';
import { defaultKbDir, packageRoot } from '../../src/core/paths.js';
import { KbHolder } from '../../src/server/kb-holder.js';
import { testServer } from '../server/helpers.js';
import { renderReport } from '../../src/core/render.js';
import { diagnoseFacts, shippedKb } from '../support.js';

/** The host's CPU questions' top (rules/commands.yaml, top_snapshot): the first check of the CPU causes too. */
const TOP = 'top -b -n 2 -d 1 -c -w 512 -o %CPU | grep -A 14 \'^top - \'; echo "# nproc: $(nproc)"';

const example = JSON.parse(readFileSync(join(packageRoot, 'examples', '01-apm-agent-cpu.json'), 'utf8')) as { facts: unknown };

async function checksOf(facts: unknown, id: string, lang?: string) {
  const diagnosis = await diagnoseFacts(facts, lang === undefined ? {} : { lang });
  const checks = diagnosis.hypotheses.find((h) => h.id === id)?.checks;
  if (!checks) throw new Error(`${id} is not listed`);
  return { diagnosis, checks };
}

describe('a check whose readings the facts already hold is listed after those still to run', () => {
  it('fires for a named command most of whose readings are known: top after the quick start\'s pasted top, with the readings it printed', async () => {
    const { checks } = await checksOf(example.facts, 'system.agent_cpu_overhead');
    expect(checks.map((c) => [c.command, c.knownReadings])).toEqual([
      ['ps -o pid,ppid,pcpu,etime,args -p 31337', undefined],
      ['timeout 10 strace -c -f -p 31337', undefined],
      ['perf top -p 31337', undefined],
      [TOP, ['host.cpu_pct', 'host.cpu_steal_pct', 'host.load_per_cpu', 'proc.top_pid', 'proc.top_name', 'proc.top_cpu_pct']],
    ]);
  });

  it('does not fire on one reading of a named command, which a dashboard may show: top stays first with the CPU share alone', async () => {
    const { checks } = await checksOf({ 'symptom.kind': 'slow', 'app.apm_agent': true, 'proc.top_role': 'apm_agent', 'host.cpu_pct': 95 }, 'system.agent_cpu_overhead');
    expect(checks.map((c) => c.command)).toEqual([TOP, "ps -o pid,ppid,pcpu,etime,args -p '<proc.top_pid>'", "timeout 10 strace -c -f -p '<proc.top_pid>'", "perf top -p '<proc.top_pid>'"]);
    expect(checks.filter((c) => c.knownReadings !== undefined)).toEqual([]);
  });

  it('fires for a part of the command a known fact\'s question runs: df -h and df -i once the disk use is known', async () => {
    const { checks } = await checksOf({ 'symptom.kind': 'errors', 'http.status': 500, 'symptom.scope': 'all_clients', 'host.disk_used_pct': 100 }, 'system.disk_full');
    expect(checks.map((c) => [c.command, c.knownReadings])).toEqual([
      ['lsof -nP +L1', undefined],
      ['du -xh / 2>/dev/null | sort -rh | head -n 20', undefined],
      ['df -h', ['host.disk_used_pct']],
      ['df -i', ['host.disk_used_pct']],
    ]);
  });

  it('fires for a grep of a file a known reading came from, not for a program computing from it', async () => {
    const facts = { 'symptom.kind': 'timeout', 'http.status': 504, 'path.via_lb': true, 'proxy.upstream_error': 'read_timeout' };
    const { checks } = await checksOf(facts, 'lb.backend_timeout');
    // The proxy-log question read the nginx error log: its timeouts were seen; the 504s' request times in the access log were not.
    expect(checks.map((c) => [c.command.split(' ')[0], c.knownReadings])).toEqual([
      ['curl', undefined],
      ['awk', undefined],
      ['grep', ['proxy.upstream_error']],
    ]);
    expect(checks[2]?.command).toBe("grep -E 'upstream timed out \\(110' /var/log/nginx/error.log | tail -n 20");
    // Near miss: who sends the most requests is computed from the access log, which no question had the engineer count.
    const skew = await checksOf({ ...facts, 'symptom.kind': 'slow', 'symptom.intermittent': true, 'lb.backend_load_skew': true }, 'lb.persistence_skew');
    expect(skew.checks.map((c) => c.knownReadings)).toEqual([undefined, undefined, undefined]);
  });

  it('is absent when no known fact has a question with a command', async () => {
    const diagnosis = await diagnoseFacts({ 'symptom.kind': 'slow', 'symptom.scope': 'all_clients', 'target.host': 'a.example' });
    expect(diagnosis.hypotheses.length).toBeGreaterThan(10);
    expect(diagnosis.hypotheses.flatMap((h) => h.checks).filter((c) => c.knownReadings !== undefined)).toEqual([]);
    const answered = knownReadings(shippedKb(), { 'symptom.kind': 'slow' });
    expect([answered({ command: 'df -h', template: 'df -h', run: undefined }), answered({ command: TOP, template: TOP, run: 'top_snapshot' })]).toEqual([undefined, undefined]);
  });

  it('is asked only of checks some facts could answer, told from their text once per knowledge base', () => {
    const kb = shippedKb();
    // A named command; a question's command or part of one (the strace of proc.app_pid is the questions' strace of
    // proc.top_pid when they are one process); a grep of a file a question's command reads.
    expect(mayBeKnown(kb, TOP, 'top_snapshot')).toBe(true);
    expect(mayBeKnown(kb, 'df -h', undefined)).toBe(true);
    expect(mayBeKnown(kb, 'timeout 10 strace -c -f -p {{proc.app_pid}}', undefined)).toBe(true);
    expect(mayBeKnown(kb, "grep -E 'upstream timed out \\(110' /var/log/nginx/error.log | tail -n 20", undefined)).toBe(true);
    // Near misses: no question runs perf, and an awk of the access log computes what reading it did not show.
    expect(mayBeKnown(kb, 'perf top -p {{proc.top_pid}}', undefined)).toBe(false);
    expect(mayBeKnown(kb, "awk '{print $1}' /var/log/nginx/access.log | sort | uniq -c | sort -rn | head", undefined)).toBe(false);
  });

  it('shows the readings in every report format and language', async () => {
    const { diagnosis } = await checksOf(example.facts, 'system.agent_cpu_overhead');
    const text = renderReport(diagnosis, 'text');
    expect(text).toContain(`     $ ${TOP}\n         run on: server\n         already known from the facts: host.cpu_pct, host.cpu_steal_pct, host.load_per_cpu, proc.top_pid, proc.top_name, proc.top_cpu_pct\n`);
    expect(text.indexOf('$ ps -o pid,ppid')).toBeLessThan(text.indexOf(`$ ${TOP}`));
    expect(renderReport(diagnosis, 'markdown')).toContain('- already known from the facts: `host.cpu_pct`, `host.cpu_steal_pct`, `host.load_per_cpu`, `proc.top_pid`, `proc.top_name`, `proc.top_cpu_pct`\n');
    expect(renderReport(diagnosis, 'html')).toContain('<div class="outcome">already known from the facts: <code>host.cpu_pct</code>, <code>host.cpu_steal_pct</code>,');
    const zh = await checksOf(example.facts, 'system.agent_cpu_overhead', 'zh-CN');
    expect(renderReport(zh.diagnosis, 'text')).toContain('         事实中已有其结果：host.cpu_pct、host.cpu_steal_pct、');
  });
});

describe('POST /v1/diagnose on the shipped knowledge base', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await testServer({ kb: new KbHolder([defaultKbDir]) });
  });
  afterAll(() => app.close());

  it("answers a check's known readings, as its schema serializes them", async () => {
    const res = await app.inject({ method: 'POST', url: '/v1/diagnose', payload: JSON.stringify({ facts: example.facts }), headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(200);
    const leader = (res.json() as { hypotheses: Array<{ id: string; checks: Array<{ command: string; knownReadings?: string[] }> }> }).hypotheses[0];
    expect(leader?.id).toBe('system.agent_cpu_overhead');
    expect(leader?.checks.map((c) => c.knownReadings?.length ?? 0)).toEqual([0, 0, 0, 6]);
    expect(leader?.checks[3]).toMatchObject({ command: TOP, knownReadings: ['host.cpu_pct', 'host.cpu_steal_pct', 'host.load_per_cpu', 'proc.top_pid', 'proc.top_name', 'proc.top_cpu_pct'] });
  });
});
