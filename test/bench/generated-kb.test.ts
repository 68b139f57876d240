import { describe, expect, it } from 'vitest';
import { firedByPlainEngine, generatedKb, plainEngine } from '../../bench/generated-kb.js';
import { evaluate3 } from '../../src/core/conditions.js';
import { assess, fireRules, statusOf } from '../../src/core/evaluate.js';
import { normalizeFacts, withStatedFacts } from '../../src/core/facts.js';
import { nextQuestion } from '../../src/core/interview.js';

// npm run bench compares rca with json-rules-engine alone on generated rules: the comparison
// proves something only on fact sets where rules fire.
describe("the bench's generated knowledge bases", () => {
  it('make rules fire on every fact set, and rca fires exactly what json-rules-engine alone fires', async () => {
    const { kb, rules, factSets } = generatedKb(1000);
    const engine = plainEngine(rules);
    const firedCounts: number[] = [];
    for (const facts of factSets) {
      const ours = (await fireRules(kb, facts)).map((f) => f.rule.id).sort();
      // The engine alone is given what the assessment counts as known: what the facts state by themselves too.
      expect(ours).toEqual(await firedByPlainEngine(engine, withStatedFacts(facts, kb.vocabulary)));
      firedCounts.push(ours.length);
    }
    expect(factSets).toHaveLength(50);
    expect(Math.min(...firedCounts)).toBeGreaterThanOrEqual(3);
    // Input the CLI and the API would take: the bench times diagnoses of facts a ticket could send.
    for (const facts of factSets) expect(() => normalizeFacts(facts, kb.vocabulary)).not.toThrow();
  });

  // Every generated rule is an `all` of leaves on constants, the shape the assessment tests
  // from flat arrays rather than through each rule's compiled closure.
  it("give each rule the assessment's status that evaluate3 gives it, on every fact set", async () => {
    const { kb, factSets } = generatedKb(1000);
    const disagreements: string[] = [];
    for (const [n, facts] of factSets.entries()) {
      const assessment = await assess(kb, facts);
      for (const rule of kb.rules) {
        const expected = evaluate3(rule.rule.conditions, kb.conditions, assessment.facts);
        if (statusOf(kb, assessment, rule) !== expected) disagreements.push(`set ${n}: ${rule.id} is ${expected}`);
      }
    }
    expect(disagreements).toEqual([]);
  });
});

// npm run bench times the interview's question choice on the generated knowledge bases too: it
// measures a choice only if there are questions to choose from.
describe("the bench's generated interviews", () => {
  it('have a question for every fact the generated rules read, and ask one from a fact set\'s first three facts', async () => {
    const { kb, rules, factSets } = generatedKb(1000);
    const read = new Set(rules.flatMap((rule) => rule.conditions.all.map((leaf) => leaf.fact)));
    expect([...kb.questions.keys()].sort()).toEqual([...read].sort());
    // The bench replays the first ten fact sets: a set whose first three facts already decide
    // it ends at once (4 of the 10 since the window-scale, offload and checksum facts joined, 2 since kernel.rp_filter_drops and path.asymmetric joined the
    // vocabulary, 3 since dns.temporary_failure did, 4 since
    // the IPv6 and neighbour-table facts did, 1 since tls.cert_not_yet_valid did, 4 before it and the cgroup memory, psi and disk (host.blocked_tasks, host.disk_await_ms,
    // host.disk_util_pct) facts, each of which changed what the seeded generator draws, as
    // cgroup.cpu_throttled_pct and cgroup.cpu_limit_cores, app.runtime and
    // strace.syscall_time_pct, proc.app_sys_share_pct, backend.host and backend.port,
    // tls.failed_cert and leaving out target.url did before), the others must ask about a fact the
    // rules read.
    const asked: string[] = [];
    for (const set of factSets.slice(0, 10)) {
      const step = await nextQuestion(kb, { facts: Object.fromEntries(Object.entries(set).slice(0, 3)), unknown: [] });
      if (!step.done) asked.push(step.question?.fact ?? '');
    }
    expect(asked).toHaveLength(6);
    expect(asked.every((fact) => read.has(fact))).toBe(true);
  });
});
