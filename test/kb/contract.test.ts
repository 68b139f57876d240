import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load as parseYaml } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { badSpacing } from '../../src/core/checks/lint/cjk-spacing.js';
import { untranslatedChinese } from '../../src/core/checks/lint/untranslated-text.js';
import { missingTranslation } from '../../src/core/checks/lint/missing-translation.js';
import { forEachText } from '../../src/core/checks/lint/texts.js';
import { unreadFacts } from '../../src/core/checks/lint/unread-fact.js';
import { formatKbProblem } from '../../src/core/errors.js';
import { missingLanguages, SUPPORTED_LANGS } from '../../src/core/localize.js';
import { packageRoot } from '../../src/core/paths.js';
import { reportStrings } from '../../src/core/render.js';
import { baseVocabulary } from '../../src/core/vocabulary.js';
import { lintKnowledgeBase } from '../../src/kbtools/lint.js';
import { loadScenarios, shippedKb } from '../support.js';

// A snapshot of the public contract (fact vocabulary, hypothesis ids) that ticketing systems
// rely on. The project's own schemas must keep every name with the same type and range.
const contractDir = join(packageRoot, 'test', 'contract');
type ContractFact = { type: string; values?: string[]; min?: number; max?: number };
const contractFacts = parseYaml(readFileSync(join(contractDir, 'facts.yaml'), 'utf8')) as Record<string, ContractFact>;
const contractHypotheses = Object.keys(parseYaml(readFileSync(join(contractDir, 'hypotheses.yaml'), 'utf8')) as Record<string, string>);
/** Facts the project adds beyond the contract (documented in schemas/facts.schema.json). */
const ADDED_FACTS: string[] = ['app.dependency_bottleneck', 'app.gc_time_pct', 'app.runtime', 'strace.syscall_time_pct', 'backend.host', 'cgroup.cpu_limit_cores', 'cgroup.cpu_throttled_pct', 'cgroup.memory_reclaiming_at_limit', 'cgroup.memory_working_set_pct', 'psi.cpu_some_pct', 'psi.io_some_pct', 'psi.memory_some_pct', 'backend.port', 'host.cpu_softirq_pct', 'host.cpu_sys_pct', 'ping.intermediate_loss_only', 'proc.app_sys_share_pct', 'proc.eaddrnotavail_errors', 'proc.enospc_errors', 'symptom.other_services_affected', 'target.host_is_ip', 'tls.failed_cert', 'app.pool_active_pct', 'app.pool_wait_timeouts', 'lb.health_check_status', 'proxy.rate_limit_refusals', 'host.blocked_tasks', 'host.disk_await_ms', 'host.disk_util_pct', 'tls.cert_not_yet_valid', 'dns.aaaa_present', 'tcp.ipv6_fallback', 'tcp.ipv4_forced_ok', 'kernel.neigh_table_overflow', 'dns.temporary_failure', 'kernel.rp_filter_drops', 'path.asymmetric', 'symptom.large_transfers', 'path.tunnel', 'tcp.window_scale_missing', 'host.offload_off_ok', 'kernel.csum_errors', 'app.threads_blocked_on_lock', 'app.dependency_errors'];
/**
 * Values the project adds to a contract enum: every contract value is still accepted with its
 * meaning, so a collector or ticketing system written to the contract keeps working.
 */
const ADDED_VALUES: Record<string, string[]> = { 'proxy.upstream_error': ['premature_close', 'header_too_big'] };

const kb = shippedKb();
const supporting = (id: string) => kb.rules.filter((r) => r.rule.evidence.some((e) => e.hypothesis === id && e.cf > 0));
const refuting = (id: string) => kb.rules.filter((r) => r.rule.evidence.some((e) => e.hypothesis === id && e.cf < 0));

describe('contract', () => {
  it('the facts schema has exactly the contract facts (plus documented additions), same types and ranges, enums widened only as documented', () => {
    const facts = baseVocabulary().facts;
    expect([...facts.keys()].sort()).toEqual([...Object.keys(contractFacts), ...ADDED_FACTS].sort());
    for (const [name, c] of Object.entries(contractFacts)) {
      const spec = facts.get(name);
      expect({ name, type: spec?.type, values: spec?.values, min: spec?.minimum, max: spec?.maximum }).toEqual({ name, type: c.type, values: c.values && [...c.values, ...(ADDED_VALUES[name] ?? [])], min: c.min, max: c.max });
    }
  });

  it('every contract hypothesis is defined with at least two checks and a supporting rule', () => {
    const problems = contractHypotheses.flatMap((id) => {
      const h = kb.hypotheses.get(id)?.value;
      if (!h) return [`${id}: not defined`];
      return [...(h.checks.length < 2 ? [`${id}: ${h.checks.length} checks`] : []), ...(supporting(id).length === 0 ? [`${id}: no supporting rule`] : [])];
    });
    expect(problems).toEqual([]);
  });

  it('every fact has a question and is read by a rule, weighed by a likelihood table or named by a command', () => {
    const problems = [
      ...kb.vocabulary.names.filter((name) => !kb.questions.has(name)).map((name) => `${name}: no question`),
      ...unreadFacts(kb).map((name) => `${name}: no rule, likelihood or command reads it`),
    ];
    expect(problems).toEqual([]);
  });

  it('has at least 150 rules and evidence against at least 25 hypotheses', () => {
    expect(kb.rules.length).toBeGreaterThanOrEqual(150);
    expect(contractHypotheses.filter((id) => refuting(id).length > 0).length).toBeGreaterThanOrEqual(25);
  });
});

describe('scenario suite', () => {
  const scenarios = loadScenarios();

  it('has at least 60 incidents, 15 of them red herrings, each with a story and a source', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(60);
    expect(scenarios.filter((s) => s.redHerring).length).toBeGreaterThanOrEqual(15);
    expect(scenarios.filter((s) => !s.story || !s.source || !s.expect?.top1).map((s) => s.file)).toEqual([]);
  });

  it('makes every hypothesis the expected top-1 of at least one scenario', () => {
    const covered = new Set(scenarios.map((s) => s.expect.top1));
    expect([...kb.hypotheses.keys()].filter((id) => !covered.has(id))).toEqual([]);
  });
});

describe('translations', () => {
  // The shipped KB is written in every supported language throughout (docs/knowledge-base.md,
  // "Languages"): the lint check that finds a missing one, for any pack, finds nothing here, and
  // no entry waives it.
  it('every text of the knowledge base exists in English and Simplified Chinese', () => {
    const { findings, suppressed } = lintKnowledgeBase(kb);
    expect([...findings, ...suppressed].filter((f) => f.check === missingTranslation.meta.id).map(formatKbProblem)).toEqual([]);
  });

  it('every zh-CN text of the knowledge base is written in Chinese, not only the English output it quotes', () => {
    const untranslated: string[] = [];
    forEachText(kb, (file, path, id, text) => {
      const zh = typeof text === 'string' ? undefined : text['zh-CN'];
      if (zh !== undefined && !/[\u4e00-\u9fff]/.test(zh)) untranslated.push(`${file} ${path} (${id}): ${zh}`);
    });
    expect(untranslated).toEqual([]);
  });

  it('every fixed word of the reports exists in English and Simplified Chinese', () => {
    const missing = Object.entries(reportStrings()).flatMap(([key, text]) => missingLanguages(text, SUPPORTED_LANGS).map((lang) => `${key}: ${lang}`));
    expect(missing).toEqual([]);
  });

  // The fixed words of the reports, the interview and kb doc, each language beside English.
  const fixedWords = () => [
    ...Object.entries(reportStrings()).map(([key, text]) => ({ key: `reports/strings.yaml ${key}`, text })),
    ...Object.entries(parseYaml(readFileSync(join(packageRoot, 'reports', 'kb-doc', 'strings.yaml'), 'utf8')) as Record<string, { en: string; [lang: string]: string }>).map(([key, text]) => ({ key: `reports/kb-doc/strings.yaml ${key}`, text })),
  ];

  it('every fixed word fills the same {placeholders} in every language: one a translation drops or misspells would show "{n}" or leave its value out', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join(', ');
    const differing = fixedWords().flatMap(({ key, text }) => SUPPORTED_LANGS.filter((lang) => placeholders(text[lang] ?? '') !== placeholders(text.en)).map((lang) => `${key} ${lang}: {${placeholders(text[lang] ?? '')}}, en: {${placeholders(text.en)}}`));
    expect(differing).toEqual([]);
  });

  it('every Chinese fixed word is spaced as kb lint holds the knowledge base\'s texts to (cjk-spacing), and none is the English text left untranslated (an acronym, DNS, is the same in both)', () => {
    const wrong = fixedWords().flatMap(({ key, text }) => {
      const zh = text['zh-CN'] ?? '';
      const spacing = badSpacing(zh);
      return [...(spacing ? [`${key}: ${spacing}`] : []), ...(untranslatedChinese(zh) ? [`${key}: no Chinese: ${zh}`] : [])];
    });
    expect(wrong).toEqual([]);
  });
});
