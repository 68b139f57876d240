import type { Diagnosis } from '../../core/diagnose.js';
import { nextQuestion, type DoneReason, type InterviewOptions, type InterviewQuestion, type InterviewState, type InterviewStep } from '../../core/interview.js';
import { asPasted, pasteOf } from '../../core/paste.js';
import { ALL_MEASURED, ALL_STATED, FactMerge } from '../../core/merge.js';
import type { KnowledgeBase } from '../../core/kb.js';
import { visible } from '../../core/escape.js';
import { asideText, cfText, factorsOn, formatRatio, labelColon, percentText, uiText } from '../../core/render.js';
import { operatorSymbol } from '../../core/operators.js';
import { replyProblem, type Reply } from './answers.js';

/** The person (or script) on the other side: asks, and shows what rca says. */
export interface Prompter {
  /** Resolves with the reply, or 'eof' when input ended or the user interrupted. */
  ask(question: InterviewQuestion, number: number): Promise<Reply | { kind: 'eof' }>;
  say(text: string): void;
}

export interface SessionOptions extends InterviewOptions {
  lang: string;
  maxQuestions: number;
  /** Called with the state after every change, so progress can be saved as it goes. */
  onChange?: (state: InterviewState) => void;
  /**
   * Something was asked before the first question (the service, on a terminal): `back` with no
   * answer to undo ends the session ('back') for the caller to ask it again, rather than saying
   * there is nothing to undo.
   */
  backBeforeFirst?: boolean;
}

export type StopReason = DoneReason | 'user' | 'eof' | 'back';

export function topLine(diagnosis: Diagnosis, lang: string): string {
  const top = diagnosis.hypotheses.slice(0, 3).map((h, i) => `${i + 1}. ${h.id} ${percentText(h.confidence)}`);
  return `${uiText('iv_top', lang)}${labelColon(lang)}${top.length > 0 ? top.join('  ') : uiText('iv_no_leader', lang)}`;
}

/** How many of the causes a question separates `why` lists: the likeliest, then how many more. */
const WHY_SHOWN = 8;

function whyText(q: InterviewQuestion, diagnosis: Diagnosis, lang: string): string {
  const confidence = new Map(diagnosis.hypotheses.map((h) => [h.id, h.confidence]));
  // Likeliest first: from a thin ticket a question can separate forty causes, and the reader
  // wants the few it is asked for. Stable, so equally likely causes keep their (id) order.
  const ranked = [...q.why.separates].sort((a, b) => (confidence.get(b) ?? -1) - (confidence.get(a) ?? -1));
  const separates = ranked.slice(0, WHY_SHOWN).map((id) => `    ${id}${confidence.has(id) ? ` (${percentText(confidence.get(id) as number)})` : ''}`);
  if (ranked.length > WHY_SHOWN) separates.push(`    ${fill(uiText('iv_and_more', lang), { n: String(ranked.length - WHY_SHOWN) })}`);
  // Beside them, how likely none of the known causes is: the answer moves it too.
  separates.push(`    ${asideText(`${uiText('other_cause', lang)}${labelColon(lang)}${percentText(diagnosis.otherCause)}`, lang, { atLineStart: true })}`);
  const paired = q.why.pairedWith === undefined ? [] : [`${uiText('iv_paired_with', lang)}${labelColon(lang)}${q.why.pairedWith}`];
  return [`${uiText('iv_separates', lang)}${labelColon(lang, { atLineEnd: true })}`, ...separates, `${uiText('iv_rules_read', lang)}${labelColon(lang)}${q.why.rules.length > 0 ? q.why.rules.join(uiText('list_between', lang)) : uiText('iv_no_rule_reads', lang)}`, ...paired].map(visible).join('\n');
}

/** Fills {name} placeholders of a fixed text. */
export const fill = (text: string, values: Record<string, string>) => text.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);

/**
 * "A or B; run X to tell them apart" ("A leads; run X to confirm it" when A has no rival), for an
 * interview that stops because the rest is unknowable, at the question limit or with the leader
 * clearly ahead (those two said first). When the cause is likelier outside the knowledge base (the
 * no_known_cause verdict), the leaders are no answer: the engineer is told to look wider, and
 * that they are the known causes still worth ruling out with X.
 */
export function tellApartText(tellApart: NonNullable<InterviewStep['tellApart']>, verdict: InterviewStep['diagnosis']['verdict'], lang: string, reason: InterviewStep['reason'] = 'unknowable'): string {
  const one = tellApart.leaders.length === 1;
  const said = reason === 'limit' || reason === 'confident';
  const key = verdict === 'no_known_cause' ? 'iv_done_unknowable_outside' : said ? (one ? 'iv_done_confirm_one' : 'iv_done_limit_many') : one ? 'iv_done_unknowable_one' : 'iv_done_unknowable';
  const text = fill(uiText(key, lang), { leaders: tellApart.leaders.join(uiText('iv_or_between', lang)), commands: tellApart.commands.join(uiText('iv_and_between', lang)) });
  return visible(said ? `${uiText(`iv_done_${reason}`, lang)}${uiText('iv_sentence_between', lang)}${text}` : text);
}

/** Under a question's command, or the commands that tell the leaders apart: the facts they still show as placeholders (fillIn), to fill in before running them, as reports say under a check. */
export function fillInLines({ fillIn }: { fillIn?: readonly string[] }, lang: string): string[] {
  return fillIn ? [`   ${uiText('fill_in', lang)}${labelColon(lang)}${fillIn.join(uiText('list_between', lang))}`] : [];
}

/**
 * After "don't know": the command that finds out, and how to paste its output: the kind that
 * command's output is (the question's `paste`, as the choice counts it) first, then any other kind
 * carrying the fact, and the other questions still open that the same paste answers. When rca
 * reads no output of that command (nc, ps, a grep count), the other kinds are offered as what they
 * are: another command's output, not this one's.
 */
function findOutText(kb: KnowledgeBase, q: InterviewQuestion, state: InterviewState, lang: string, pasteKinds: SessionOptions['pasteKinds']): string[] {
  if (!q.how) return [];
  const carrying = pasteKinds?.(q.fact) ?? [];
  const own = q.paste?.kind;
  const kinds = own === undefined ? carrying : [own, ...carrying.filter((k) => k !== own)];
  const hint = own === undefined ? 'iv_paste_other_hint' : 'iv_paste_hint';
  const open = (fact: string) => fact !== q.fact && kb.questions.has(fact) && !Object.hasOwn(state.facts, fact) && !state.unknown.includes(fact);
  const also = (q.paste?.carries ?? []).filter(open);
  const answersToo = own !== undefined && also.length > 0 ? fill(uiText('iv_paste_also', lang), { kind: own, facts: also.join(uiText('list_between', lang)) }) : '';
  const pasteLines = kinds.length === 0 ? [] : [`   ${fill(uiText(hint, lang), { kinds: kinds.join('|') })}${answersToo}`];
  return [`   ${uiText('iv_find_out', lang)}${labelColon(lang)}$ ${q.how}`, ...fillInLines(q, lang), ...pasteLines].map(visible);
}

/**
 * A paste merged into the facts: the facts it filled (an answer already given wins), and each
 * disagreement. A paste of a kind that carries the fact asked (`carriers`) but leaves it
 * unanswered (curl timed out before any status; openssl stopped before the name check) counts
 * as "don't know" for it: the engineer ran what it asked, and asking again at once would only
 * have them run it again (lab review 195). Another kind's paste answers an earlier question (the
 * command shown after a "don't know"), not this one; but one that fills nothing new answers none,
 * and is this question's "don't know" too (lab 209 case 01: the printed `curl -4` command's output,
 * pasted as curl-w at the forced-IPv4 question, brought the same question back at once).
 */
function applyPaste(state: InterviewState, asked: string, carriers: readonly string[], { artifact, facts: parsed, warnings: own }: Extract<Reply, { kind: 'paste' }>): { state: InterviewState; filled: string[]; warnings: string[]; unanswered: boolean } {
  const merge = new FactMerge();
  merge.add(state.facts, 'the answer given', ALL_STATED);
  const warnings = [
    ...own.map((w) => `${w.field}: the pasted ${artifact} output: ${w.message}`),
    ...merge.add(parsed, `the pasted ${artifact} output`, ALL_MEASURED).map((w) => `${w.field}: ${w.message}`),
  ];
  const { facts } = merge;
  const filled = Object.keys(facts).filter((f) => !(f in state.facts));
  const unanswered = !(asked in facts) && (carriers.includes(artifact) || filled.length === 0);
  const unknown = state.unknown.filter((f) => !(f in facts));
  return { state: { facts, unknown: unanswered && !unknown.includes(asked) ? [...unknown, asked] : unknown }, filled, warnings, unanswered };
}

function howText(diagnosis: Diagnosis, lang: string): string {
  const leader = diagnosis.hypotheses[0];
  if (!leader) return uiText('iv_no_leader', lang);
  const lines = [`${uiText('iv_leader', lang)}${labelColon(lang)}${leader.id} ${percentText(leader.confidence)}  ${leader.title}`];
  for (const e of leader.evidence) {
    lines.push(`    + ${e.rule} (${cfText(e.cf)}) ${e.description}`);
    // As the text report writes a condition, in the interview's language: NOT, the operator's sign or word, the actual value named.
    for (const c of e.conditions) lines.push(`        ${c.negated ? `${uiText('not', lang)} ` : ''}${c.fact} ${operatorSymbol(c.operator, lang)} ${c.expectedFact ?? JSON.stringify(c.expected)}  [${uiText('actual', lang)}${labelColon(lang)}${JSON.stringify(c.actual)}]`);
  }
  for (const e of leader.against) lines.push(`    - ${e.rule} (${cfText(e.cf)}) ${e.description}`);
  // Before any rule fires its likelihoods are the whole reason it leads.
  const factors = leader.factors ?? [];
  for (const side of ['likelier', 'less'] as const) {
    const shown = factorsOn(factors, side);
    if (shown.length > 0) lines.push(`    ${uiText(`factors_${side}`, lang)}${labelColon(lang)}${shown.map((f) => `${f.fact} = ${JSON.stringify(f.value)} ${formatRatio(f.ratio)}`).join(uiText('list_between', lang))}`);
  }
  // Fact values and knowledge-base texts go to a terminal: control characters are shown, never sent.
  return lines.map(visible).join('\n');
}

/**
 * The interview loop shared by the TTY and scripted front ends: ask the most useful
 * question, apply the reply, repeat until rca is done, the limit is hit or the user stops.
 */
export async function runSession(kb: KnowledgeBase, start: InterviewState, prompter: Prompter, options: SessionOptions): Promise<{ state: InterviewState; stop: StopReason }> {
  const lang = options.lang;
  let state = start;
  const history: InterviewState[] = [];
  let asked = 0;
  let answered = false;
  for (;;) {
    const step = await nextQuestion(kb, state, { lang, minConfidence: options.minConfidence, minMargin: options.minMargin, atLimit: asked >= options.maxQuestions, ...(options.pasteKinds && { pasteKinds: options.pasteKinds }) });
    if (answered) prompter.say(topLine(step.diagnosis, lang));
    answered = false;
    if (step.done) {
      prompter.say(step.tellApart ? tellApartText(step.tellApart, step.diagnosis.verdict, lang, step.reason) : uiText(`iv_done_${step.reason}`, lang));
      for (const line of fillInLines(step.tellApart ?? {}, lang)) prompter.say(visible(line));
      return { state, stop: step.reason ?? 'no_questions' };
    }
    const question = step.question as InterviewQuestion;
    let reply = await prompter.ask(question, asked + 1);
    // A paste its parser cannot read says nothing, not even that the engineer cannot answer: the
    // question is asked again, as after a refused answer, and the next line (a script's) answers it.
    while (reply.kind === 'why' || reply.kind === 'how' || reply.kind === 'invalid' || reply.kind === 'unreadPaste') {
      if (reply.kind === 'invalid') prompter.say(`! ${visible(replyProblem(reply))}`);
      else if (reply.kind === 'unreadPaste') prompter.say(`! ${visible(fill(uiText('iv_pasted_unread', lang), { kind: reply.artifact, fact: question.fact, problem: replyProblem(reply) }))}`);
      else prompter.say(reply.kind === 'why' ? whyText(question, step.diagnosis, lang) : howText(step.diagnosis, lang));
      reply = await prompter.ask(question, asked + 1);
    }
    switch (reply.kind) {
      case 'eof':
        return { state, stop: 'eof' };
      case 'done':
        prompter.say(uiText('iv_done_user', lang));
        return { state, stop: 'user' };
      case 'back': {
        const previous = history.pop();
        if (!previous) {
          if (options.backBeforeFirst) return { state, stop: 'back' };
          prompter.say(uiText('iv_nothing_to_undo', lang));
          continue;
        }
        state = previous;
        asked--;
        prompter.say(uiText('iv_undone', lang));
        break;
      }
      case 'unknown':
      case 'emptyPaste':
        history.push(state);
        state = { facts: state.facts, unknown: [...state.unknown, question.fact] };
        asked++;
        if (reply.kind === 'emptyPaste') prompter.say(visible(fill(uiText('iv_pasted_empty', lang), { kind: reply.artifact, fact: question.fact })));
        else for (const line of findOutText(kb, question, state, lang, options.pasteKinds)) prompter.say(line);
        break;
      case 'paste': {
        history.push(state);
        // The question's command may be another endpoint's (a backend, bypassing the LB): its paste fills the facts it stands for here.
        const own = options.pasteKinds ? pasteOf(kb, question.fact, options.pasteKinds, state.facts) : null;
        const carriers = [...(options.pasteKinds?.(question.fact) ?? []), ...(own?.as ? [own.kind] : [])];
        const pasted = applyPaste(state, question.fact, carriers, { ...reply, facts: asPasted(own, reply.artifact, reply.facts) });
        state = pasted.state;
        asked++;
        prompter.say(
          visible(
            pasted.filled.length === 0
              ? fill(uiText('iv_pasted_nothing_new', lang), { kind: reply.artifact })
              : `${fill(uiText('iv_pasted', lang), { kind: reply.artifact })}${labelColon(lang)}${pasted.filled.map((f) => `${f}=${JSON.stringify(state.facts[f])}`).join(uiText('list_between', lang))}`,
          ),
        );
        for (const warning of pasted.warnings) prompter.say(`! ${visible(warning)}`);
        if (pasted.unanswered) prompter.say(visible(fill(uiText('iv_pasted_unanswered', lang), { kind: reply.artifact, fact: question.fact })));
        break;
      }
      case 'answer':
        history.push(state);
        state = { facts: { ...state.facts, [question.fact]: reply.value }, unknown: state.unknown };
        asked++;
        break;
      case 'volunteer':
        // Said of another fact than the one asked: taken, and the question stands unless that answers it.
        history.push(state);
        state = { facts: { ...state.facts, [reply.fact]: reply.value }, unknown: state.unknown.filter((fact) => fact !== reply.fact) };
        asked++;
        prompter.say(visible(`${uiText('iv_volunteered', lang)}${labelColon(lang)}${reply.fact}=${JSON.stringify(reply.value)}`));
        break;
    }
    options.onChange?.(state);
    answered = reply.kind === 'answer' || reply.kind === 'paste' || reply.kind === 'volunteer';
  }
}
