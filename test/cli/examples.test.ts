import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Diagnosis } from '../../src/core/diagnose.js';
import { packageRoot } from '../../src/core/paths.js';
import { parseDiagnoseRequest } from '../../src/core/request.js';
import { diagnoseFacts } from '../support.js';
import { runCli } from './run.js';
import { baseVocabulary } from '../../src/core/vocabulary.js';

// The course scenarios this project started from, shipped under examples/.
const EXAMPLES: Array<{ file: string; top1: string; ruledOut?: string[]; checks?: RegExp[] }> = [
  { file: '01-apm-agent-cpu.json', top1: 'system.agent_cpu_overhead', checks: [/^top -b -n 2 -d 1 -c/, /^timeout 10 strace -c -f -p 31337$/, /^perf top -p 31337$/] },
  { file: '02-lb-503-all-unhealthy.json', top1: 'lb.no_healthy_backend' },
  { file: '03-lb-503-health-check-broken.json', top1: 'lb.health_check_misconfigured' },
  { file: '04-strace-syscall-storm.json', top1: 'system.syscall_storm' },
  { file: '05-strace-futex-lock.json', top1: 'system.lock_contention' },
  { file: '06-icmp-filtered.json', top1: 'network.icmp_filtered', ruledOut: ['network.packet_loss'] },
  { file: '07-lb-502-keepalive.json', top1: 'lb.idle_timeout_mismatch' },
];

describe('shipped examples', () => {
  for (const example of EXAMPLES) {
    const path = join('examples', example.file);
    const check = (result: Diagnosis) => {
      expect(result.hypotheses[0]?.id, result.hypotheses.map((h) => `${h.id} ${h.confidence}`).join('\n')).toBe(example.top1);
      for (const id of example.ruledOut ?? []) expect(result.ruledOut.map((r) => r.id)).toContain(id);
      const commands = result.hypotheses[0]?.checks.map((c) => c.command) ?? [];
      for (const pattern of example.checks ?? []) expect(commands.some((c) => pattern.test(c)), `${pattern} in ${commands.join(' | ')}`).toBe(true);
    };

    it(`${example.file} -> ${example.top1} (core API)`, async () => {
      const request = parseDiagnoseRequest(JSON.parse(readFileSync(join(packageRoot, path), 'utf8')), { vocabulary: baseVocabulary() });
      check(await diagnoseFacts(request.facts));
    });

    it(`${example.file} -> ${example.top1} (CLI, every format)`, async () => {
      const json = await runCli(['diagnose', path, '--format', 'json']);
      expect(json.code).toBe(0);
      const result = JSON.parse(json.stdout) as Diagnosis;
      check(result);
      const title = result.hypotheses[0]?.title ?? '';
      for (const format of ['text', 'markdown', 'html']) {
        const run = await runCli(['diagnose', path, '--format', format]);
        expect(run.code).toBe(0);
        expect(run.stdout).toContain(format === 'html' ? title.replace(/'/g, '&#x27;') : title);
      }
    });
  }
});
