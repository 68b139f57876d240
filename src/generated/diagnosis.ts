/* Generated from schemas/diagnosis.schema.json by scripts/gen-types.mjs. Do not edit. */

/**
 * confident: the leader's probability reaches the KB's confidentAt (0.6 shipped); differential: known causes share the probability, ranked with honest, low confidence; no_known_cause: it is likelier than not that the cause is none of the KB's hypotheses, and the top 3 known causes are not worth their checks (they hold less than 3 x the KB's vainCheckCost of that probability); no_evidence: no fact given speaks for or against any cause (an empty ticket, or only the target), so nothing is judged yet and `missing` names what to find out first.
 *
 * This interface was referenced by `Diagnosis`'s JSON-Schema
 * via the `definition` "verdict".
 */
export type Verdict = 'confident' | 'differential' | 'no_known_cause' | 'no_evidence';
/**
 * This interface was referenced by `Diagnosis`'s JSON-Schema
 * via the `definition` "scalar".
 */
export type Scalar = string | number | boolean;
/**
 * The facts a command still shows as placeholders, in its order: unknown ('<target.host>'; an unknown target.url as the URL the other target facts spell with '<path>'), or refused because the value would start an option ('<refused:target.host>'). Fill them in by hand before running it: run as shown, it would look up or connect to the placeholder's text. Absent when the command is ready to run.
 *
 * @minItems 1
 *
 * This interface was referenced by `Diagnosis`'s JSON-Schema
 * via the `definition` "fillIn".
 */
export type FillIn = string[];

/**
 * The result of one diagnosis: ranked root-cause hypotheses with evidence, what was ruled out, and the unanswered facts that matter most. Stable API.
 */
export interface Diagnosis {
  kb: {
    name: string;
    version: string;
    hash: string;
    /**
     * The packs layered over the knowledge base that name themselves (a kb section), in layering order; absent when none does. The hash covers every pack's files.
     */
    packs?: {
      name: string;
      version: string;
    }[];
  };
  /**
   * The language the texts are in, as served: en or zh-CN (a request's en-GB is en, its zh or zh-SG zh-CN).
   */
  lang: string;
  /**
   * The reporter's one-line summary, when the input had one.
   */
  summary: string | null;
  /**
   * The normalised flat facts the diagnosis used: those given, and target.host, target.port and target.protocol taken from an http(s) target.url where they were not given (never over a fact given). Send back the facts you gave, not these.
   */
  facts: {
    [k: string]: string | number | boolean;
  };
  verdict: Verdict;
  /**
   * Probability that the cause is none of the KB's hypotheses.
   */
  otherCause: number;
  /**
   * The known facts that make "no known cause" likelier or less likely than a known cause (the model's otherCause row against the background), strongest first, as factors on a hypothesis. Absent from diagnoses stored before it was added.
   *
   * @maxItems 3
   */
  otherCauseFactors?: TableFactor[];
  /**
   * Hypotheses not ruled out, by confidence descending then id: those holding at least 2% of the probability the known causes share (0.02 x (1 - otherCause)), and any a fired rule supports.
   */
  hypotheses: RankedHypothesis[];
  /**
   * Hypotheses whose net belief is negative, most refuted first.
   */
  ruledOut: RuledOutHypothesis[];
  /**
   * Unanswered facts that could change the ranking most, best first.
   */
  missing: MissingFact[];
  /**
   * Things the caller should know about the input, e.g. an artifact that contradicts an explicit fact (the explicit fact wins).
   */
  warnings: {
    field: string;
    message: string;
  }[];
  /**
   * For a case's diagnosis (the case API, rca cases): up to three resolved cases most like it, most similar first, with their confirmed cause. Absent from a plain diagnosis.
   *
   * @maxItems 3
   */
  similar?: SimilarCase[];
  /**
   * The diagnosis rendered in the format the request asked for (POST /v1/diagnose with `format`: text, markdown, html or json); absent otherwise, and never in rca diagnose's own JSON.
   */
  report?: string;
}
/**
 * One known fact as a likelihood table of the differential weighs it.
 *
 * This interface was referenced by `Diagnosis`'s JSON-Schema
 * via the `definition` "tableFactor".
 */
export interface TableFactor {
  fact: string;
  /**
   * The fact's value (one taken from target.url included).
   */
  value: string | number | boolean;
  /**
   * The outcome the value falls in, as a string: a bin of a number (for example busy for host.cpu_pct), else the value itself ("true" for true).
   */
  outcome: string;
  /**
   * P(outcome | this cause) / P(outcome | incidents in general, the model's background); for otherCauseFactors, the same for "no known cause". Above 1 the value is likelier under it than in incidents in general, below 1 less likely.
   */
  ratio: number;
}
/**
 * This interface was referenced by `Diagnosis`'s JSON-Schema
 * via the `definition` "rankedHypothesis".
 */
export interface RankedHypothesis {
  id: string;
  title: string;
  category: string;
  description: string;
  /**
   * Probability that this is the cause, given the facts (the differential: likelihoods of the facts under each cause, moved by the rules that fired).
   */
  confidence: number;
  /**
   * The fired rules' combined certainty factor for this hypothesis (0 when none fired).
   */
  belief: number;
  evidence: Evidence[];
  against: Evidence[];
  checks: RenderedCheck[];
  /**
   * Beside the rules: the known facts this cause's likelihood table weighs most (a ratio of at least 1.5 or at most 1/1.5), strongest first. A fact a fired rule about this cause reads is its evidence instead. Absent from diagnoses stored before it was added.
   *
   * @maxItems 3
   */
  factors?: TableFactor[];
}
/**
 * This interface was referenced by `Diagnosis`'s JSON-Schema
 * via the `definition` "evidence".
 */
export interface Evidence {
  rule: string;
  description: string;
  cf: number;
  conditions: ConditionEvidence[];
}
/**
 * This interface was referenced by `Diagnosis`'s JSON-Schema
 * via the `definition` "conditionEvidence".
 */
export interface ConditionEvidence {
  fact: string;
  operator: string;
  /**
   * The value the condition compares with (resolved when it names another fact).
   */
  expected: Scalar | Scalar[];
  /**
   * The other fact the condition compares with, or null when it compares with a constant.
   */
  expectedFact: string | null;
  actual: Scalar;
  /**
   * True when the condition sits under a 'not' and held by failing.
   */
  negated: boolean;
}
/**
 * This interface was referenced by `Diagnosis`'s JSON-Schema
 * via the `definition` "renderedCheck".
 */
export interface RenderedCheck {
  /**
   * Ready to copy: every fact value shell-quoted, unknown facts as <fact.name>.
   */
  command: string;
  fillIn?: FillIn;
  where: 'client' | 'server' | 'lb' | 'any';
  confirms: string;
  rulesOut: string;
  /**
   * Present when the facts already hold what this check's command shows, so running it would tell nothing new: the known facts that show it (more than half of what its named command prints, or facts whose question runs this command or reads the file it reads). Such checks are listed after those still to run. Absent from diagnoses stored before it was added.
   *
   * @minItems 1
   */
  knownReadings?: string[];
}
/**
 * This interface was referenced by `Diagnosis`'s JSON-Schema
 * via the `definition` "ruledOutHypothesis".
 */
export interface RuledOutHypothesis {
  id: string;
  title: string;
  category: string;
  /**
   * Net combined certainty factor (negative).
   */
  belief: number;
  against: Evidence[];
  evidence: Evidence[];
}
/**
 * This interface was referenced by `Diagnosis`'s JSON-Schema
 * via the `definition` "missingFact".
 */
export interface MissingFact {
  fact: string;
  question: string;
  /**
   * Rendered command that obtains the fact.
   */
  how: string | null;
  fillIn?: FillIn;
  /**
   * The expected information of its answer (bits) over the causes and their layers, by the likelihood tables and the rules it could still decide: the ranking's own value of information.
   */
  impact: number;
  /**
   * The hypotheses whose probability its answer would move most, most moved first (at most 5).
   */
  hypotheses: string[];
  /**
   * The other fact of a comparison of two facts (backend.keepalive_timeout_s <= lb.idle_timeout_s) that this one is worth knowing with: alone it decides no rule, the two together may. Each is then listed with half the worth of both answers together. Absent when the fact is worth knowing alone.
   */
  pairedWith?: string;
}
/**
 * This interface was referenced by `Diagnosis`'s JSON-Schema
 * via the `definition` "similarCase".
 */
export interface SimilarCase {
  /**
   * The resolved case's id.
   */
  id: string;
  source: string;
  /**
   * Its ticket key.
   */
  externalId: string;
  /**
   * Its confirmed cause: a hypothesis id, or "other".
   */
  cause: string;
  /**
   * The cause in words, when "other".
   */
  text?: string;
  /**
   * What was done, as its outcome says.
   */
  note?: string;
  /**
   * Weighted Jaccard similarity of the two diagnoses' features (facts and fired rules, weighted by how well they tell causes apart).
   */
  similarity: number;
}
