import type { Condition, LeafCondition } from '../generated/kb-file.js';
import { evaluate3, foldCondition, locatedFold, type Tri } from '../core/conditions.js';
import { nearMiss } from '../core/checks/test/near-miss.js';
import { diagnose } from '../core/diagnose.js';
import { fireRules } from '../core/evaluate.js';
import { filePosition, InputError, locate, pointerToken, type InputProblem } from '../core/errors.js';
import { normalizeFacts } from '../core/facts.js';
import type { CompiledRule, KnowledgeBase } from '../core/kb.js';
import type { Scenario } from '../core/scenarios.js';
import { didYouMean } from '../core/suggest.js';
import type { Diagnosis, Evidence } from '../generated/diagnosis.js';
import type { FactMap } from '../core/vocabulary.js';
import { entryLocator, type EntryLocation, type SourceText } from './entry-location.js';
import type { CaseFailure, Coverage, FiredRule, HypothesisStanding, NeverSeen, RuleCaseResult, ScenarioResult, Top1Miss } from '../generated/kb-test.js';

/**
 * What `rca kb test -f json` prints of each rule, scenario and the coverage (kb-test.schema.json):
 * a rule's cases' counts and failures (RuleCaseResult, CaseFailure), a scenario's ranking
 * (ScenarioResult) and when its top-1 is wrong why (Top1Miss: HypothesisStanding, FiredRule),
 * and which leaf conditions were seen which way (Coverage, NeverSeen).
 */
export type { CaseFailure, Coverage, FiredRule, HypothesisStanding, NeverSeen, RuleCaseResult, ScenarioResult, Top1Miss };

export interface TestReport {
  rules: RuleCaseResult[];
  scenarios: ScenarioResult[];
  coverage: Coverage;
  passed: boolean;
}

interface Leaf {
  key: string;
  leaf: LeafCondition;
}

/** Every leaf of a rule with a stable key (rule id + JSON pointer), through references. */
function leavesOf(ruleId: string, condition: Condition, named: ReadonlyMap<string, Condition>): Leaf[] {
  const located = locatedFold<Leaf[]>({
    leaf: (leaf, path) => [{ key: `${ruleId}${path}`, leaf }],
    reference: (name, path, target) => target?.(`${path}/${name}`) ?? [],
    combine: (results) => results.flat(),
  });
  return foldCondition(condition, located, named)('');
}

/**
 * The check a rule may waive with `lintIgnore: [{check: near-miss, reason}]`: a rule that
 * holds whenever its facts are known (its fact's schema allows no value that makes it
 * false) has no near miss, and its silent cases can only leave its facts out.
 */
const NEAR_MISS_CHECK = nearMiss.meta.id;

/** One fact set's identity whatever the order of its keys, to find duplicate cases. */
const caseKey = (facts: FactMap) => JSON.stringify(Object.entries(facts).sort(([a], [b]) => (a < b ? -1 : 1)));

/** What a rule evaluated to on a case, for a failing case: true, false, or undecided by the facts the case lacks. */
function outcome(status: Tri, compiled: CompiledRule, facts: FactMap): string {
  if (status !== 'unknown') return status;
  return `undecided: the case lacks ${compiled.facts.filter((f) => !(f in facts)).join(', ')}`;
}

/**
 * Runs one rule's cases. A silent case that stays silent is a near miss when the rule's
 * three-valued status is false, an absence when it is undecided though a fact of the rule
 * is known, and a finding when it knows none of the rule's facts: it cannot fail. Each valid
 * case is handed to `exercise`, which sees the rule's leaves on it.
 */
async function ruleCases(
  kb: KnowledgeBase,
  compiled: CompiledRule,
  where: (file: string, path: string) => EntryLocation,
  observe: (facts: FactMap) => Promise<Set<string>>,
  exercise: (facts: FactMap) => void,
): Promise<RuleCaseResult> {
  const { id, rule, file, path } = compiled;
  const result: RuleCaseResult = { rule: id, ...where(file, path), truePositives: 0, falseNegatives: 0, trueNegatives: 0, falsePositives: 0, nearMisses: 0, absences: 0, failures: [], waived: [] };
  /** A failure at POINTER under the rule's entry. */
  const fail = (pointer: string, message: string) => result.failures.push({ message, ...where(file, `${path}${pointer}`) });
  if (!rule.cases) {
    fail('', 'no cases');
    return result;
  }
  const waiverIndex = rule.lintIgnore?.findIndex((i) => i.check === NEAR_MISS_CHECK) ?? -1;
  const waiver = rule.lintIgnore?.[waiverIndex];
  if (waiver) result.waived.push(`${NEAR_MISS_CHECK}: ${waiver.reason}`);
  const seen = new Map<string, string>();
  let firstNearMiss: string | undefined;
  for (const [kind, list] of [['fires', rule.cases.fires], ['silent', rule.cases.silent]] as const) {
    for (const [i, raw] of list.entries()) {
      const label = `${kind} ${i}`;
      const failCase = (message: string) => fail(`/cases/${kind}/${i}`, message);
      let facts: FactMap;
      try {
        facts = normalizeFacts(raw, kb.vocabulary, `cases.${kind}[${i}]`);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        failCase(`${label}: ${error.message}`);
        continue;
      }
      exercise(facts);
      const same = seen.get(caseKey(facts));
      if (same) failCase(`${label} has the same facts as ${same}`);
      else seen.set(caseKey(facts), label);
      const firedHere = (await observe(facts)).has(id);
      const ok = kind === 'fires' ? firedHere : !firedHere;
      const status = evaluate3(rule.conditions, kb.conditions, facts);
      if (kind === 'fires') result[ok ? 'truePositives' : 'falseNegatives']++;
      else result[ok ? 'trueNegatives' : 'falsePositives']++;
      if (!ok) failCase(`${label}: expected it to ${kind === 'fires' ? 'fire' : 'stay silent'}, got ${outcome(status, compiled, facts)}`);
      else if (kind === 'silent') {
        if (status === 'false') {
          result.nearMisses++;
          firstNearMiss ??= label;
        } else if (compiled.facts.some((f) => f in facts)) result.absences++;
        else if (!waiver) failCase(`${label} shares no fact with the rule (it reads ${compiled.facts.join(', ')}), so it passes whatever the rule says: make it a near miss`);
      }
    }
  }
  if (waiver && firstNearMiss) fail(`/lintIgnore/${waiverIndex}`, `${NEAR_MISS_CHECK} is waived, but ${firstNearMiss} is a near miss: remove the waiver`);
  if (!waiver && result.nearMisses === 0) fail('/cases/silent', 'no near miss: no silent case knows the facts the rule needs and leaves it false (add one just across a threshold, or with another value of an enum)');
  return result;
}

/** Each hypothesis id a scenario expects, at its pointer: its top-1, alternates and the causes it rules out. */
function expectedIds(scenario: Scenario): Array<[string, string]> {
  const { top1, alternates = [], ruledOut = [] } = scenario.expect;
  return [['/expect/top1', top1], ...alternates.map((id, i): [string, string] => [`/expect/alternates/${i}`, id]), ...ruledOut.map((id, i): [string, string] => [`/expect/ruledOut/${i}`, id])];
}

/**
 * Every scenario's facts, validated, before any is run: a fact the vocabulary refuses and a
 * hypothesis the knowledge base does not hold are input errors (the scenario cannot say what it
 * means), each once, at its file:line:column where WHERE (the test's one locator) reads the file. Every scenario's
 * problems are reported together.
 */
function checkedScenarioFacts(kb: KnowledgeBase, scenarios: readonly Scenario[], where: ReturnType<typeof entryLocator>): FactMap[] {
  const at = (scenario: Scenario, pointer: string) => locate(filePosition({ ...where(scenario.path, pointer), file: scenario.file }), pointer);
  const known = [...kb.hypotheses.keys()];
  const problems: InputProblem[] = [];
  const facts = scenarios.map((scenario) => {
    for (const [pointer, id] of expectedIds(scenario)) {
      if (!kb.hypotheses.has(id)) problems.push({ field: at(scenario, pointer), expected: `a hypothesis id of the knowledge base${didYouMean(id, known)}`, got: `"${id}"` });
    }
    try {
      return normalizeFacts(scenario.facts, kb.vocabulary, scenario.file);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      problems.push(...error.problems.map((p) => ({ ...p, field: at(scenario, `/facts/${pointerToken(p.field)}`) })));
      return {};
    }
  });
  if (problems.length > 0) throw new InputError(problems);
  return facts;
}

/** Where ID stands in DIAGNOSIS: its rank and confidence, or ruled out, and the rules that fired for and against it. */
function standing(diagnosis: Diagnosis, id: string): HypothesisStanding {
  const fired = (evidence: readonly Evidence[]) => evidence.map(({ rule, cf }) => ({ rule, cf }));
  const rank = diagnosis.hypotheses.findIndex((h) => h.id === id);
  const ranked = diagnosis.hypotheses[rank];
  if (ranked) return { id, rank: rank + 1, confidence: ranked.confidence, ruledOut: false, rulesFor: fired(ranked.evidence), rulesAgainst: fired(ranked.against), factors: ranked.factors ?? [] };
  const out = diagnosis.ruledOut.find((h) => h.id === id);
  return { id, rank: null, confidence: null, ruledOut: out !== undefined, rulesFor: fired(out?.evidence ?? []), rulesAgainst: fired(out?.against ?? []), factors: [] };
}

/** Why DIAGNOSIS does not put EXPECTED first: its top 3, and the expected cause beside the one it put first. */
function top1Miss(diagnosis: Diagnosis, expected: string): Top1Miss {
  const first = diagnosis.hypotheses[0];
  return {
    top3: diagnosis.hypotheses.slice(0, 3).map(({ id, confidence }) => ({ id, confidence })),
    expected: standing(diagnosis, expected),
    got: first ? standing(diagnosis, first.id) : null,
  };
}

/**
 * Runs every rule's fires / silent cases and the scenario suite, and measures coverage: each
 * rule seen firing and silent over all the fact sets (cases and scenarios), and each leaf
 * condition seen true and false by its own rule's cases, as a curator reads it ("this rule's
 * tests exercise this leaf"): another rule's case on the same fact tests that rule, not this
 * one. Each rule, and each failure, is located at its file's line when SOURCETEXT reads the
 * file, else at its JSON path.
 */
export async function testKnowledgeBase(kb: KnowledgeBase, scenarios: readonly Scenario[], sourceText: SourceText = () => undefined): Promise<TestReport> {
  // How many observed cases fired each rule: a rule stayed silent on some case when fewer than
  // all did. Counting what fired costs each case its firings; marking every rule fired or silent
  // on every case cost each case the whole pack, the square of the rules over a pack's cases.
  const firings = new Map<string, number>();
  let observed = 0;
  const fired = (id: string) => firings.has(id);
  const silentOnSome = (id: string) => (firings.get(id) ?? 0) < observed;
  const leafTrue = new Set<string>();
  const leafFalse = new Set<string>();
  const observe = async (facts: FactMap): Promise<Set<string>> => {
    const ids = new Set((await fireRules(kb, facts)).map((f) => f.rule.id));
    observed++;
    for (const id of ids) firings.set(id, (firings.get(id) ?? 0) + 1);
    return ids;
  };

  // A scenario that cannot say what it means stops the test before any work.
  const where = entryLocator(sourceText);
  const scenarioFacts = checkedScenarioFacts(kb, scenarios, where);
  const rules: RuleCaseResult[] = [];
  const leaves: Leaf[] = [];
  for (const compiled of kb.rules) {
    const own = leavesOf(compiled.id, compiled.rule.conditions, kb.conditions);
    leaves.push(...own);
    const exercise = (facts: FactMap) => {
      for (const { key, leaf } of own) {
        const value = evaluate3(leaf, kb.conditions, facts);
        if (value === 'true') leafTrue.add(key);
        else if (value === 'false') leafFalse.add(key);
      }
    };
    rules.push(await ruleCases(kb, compiled, where, observe, exercise));
  }

  const scenarioResults: ScenarioResult[] = [];
  for (const [i, s] of scenarios.entries()) {
    const facts = scenarioFacts[i] as FactMap;
    await observe(facts);
    const diagnosis = await diagnose(kb, facts);
    const top3 = diagnosis.hypotheses.slice(0, 3).map((h) => h.id);
    const accepted = [s.expect.top1, ...(s.expect.alternates ?? [])];
    const ruledOut = new Set(diagnosis.ruledOut.map((h) => h.id));
    const top1Ok = accepted.includes(top3[0] ?? '');
    scenarioResults.push({
      file: s.file,
      expected: s.expect.top1,
      accepted,
      top3,
      top1Ok,
      top3Ok: top3.some((id) => accepted.includes(id)),
      failures: [
        ...(top1Ok ? [] : [`expected top-1 ${accepted.join(' or ')}, got ${top3[0] ?? '(none)'}`]),
        ...(s.expect.ruledOut ?? [])
          .filter((id) => !ruledOut.has(id))
          .map((id) => {
            const rank = diagnosis.hypotheses.findIndex((h) => h.id === id);
            return `expected ${id} ruled out, got it ${rank >= 0 ? `ranked ${rank + 1}` : 'neither ranked nor ruled out (no rule against it fired)'}`;
          }),
      ],
      ...(!top1Ok && { top1Miss: top1Miss(diagnosis, s.expect.top1) }),
    });
  }

  const both = kb.rules.filter((r) => fired(r.id) && silentOnSome(r.id)).length;
  const leavesBoth = leaves.filter((l) => leafTrue.has(l.key) && leafFalse.has(l.key));
  // A set, not the list: looking each leaf up in the list took the square of a large pack's leaves.
  const bothWays = new Set(leavesBoth);
  const covered = both + leavesBoth.length;
  const total = kb.rules.length + leaves.length;
  return {
    rules,
    scenarios: scenarioResults,
    coverage: {
      rules: {
        total: kb.rules.length,
        firedAndSilent: both,
        neverFired: kb.rules.filter((r) => !fired(r.id)).map((r) => r.id),
        neverSilent: kb.rules.filter((r) => !silentOnSome(r.id)).map((r) => r.id),
      },
      leaves: {
        total: leaves.length,
        trueAndFalse: leavesBoth.length,
        uncovered: leaves
          .filter((l) => !bothWays.has(l))
          .map(({ key }): { key: string; never: NeverSeen } => ({ key, never: leafTrue.has(key) ? 'false' : leafFalse.has(key) ? 'true' : 'true or false' })),
      },
      percent: total === 0 ? 100 : Math.floor((covered * 100) / total),
    },
    passed: rules.every((r) => r.failures.length === 0) && scenarioResults.every((s) => s.failures.length === 0),
  };
}
