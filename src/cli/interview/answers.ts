import { formatProblem, InputError, listedProblems, moreProblems, type InputProblem } from '../../core/errors.js';
import { normalizeFacts } from '../../core/facts.js';
import { DEFAULT_LANG, SUPPORTED_LANGS } from '../../core/localize.js';
import { asideText, uiText, unitText } from '../../core/render.js';
import type { InterviewQuestion } from '../../core/interview.js';
import { answerShape } from '../../core/question.js';
import type { InputWarning } from '../../core/request.js';
import type { FactMap, FactValue, Vocabulary } from '../../core/vocabulary.js';

/** What a person can say to a question besides an answer. */
export const COMMANDS = ['unknown', 'why', 'how', 'back', 'done'] as const;
export type InterviewCommand = (typeof COMMANDS)[number];

export type Reply = { kind: 'answer'; value: FactValue } | { kind: 'volunteer'; fact: string; value: FactValue } | { kind: InterviewCommand } | { kind: 'invalid'; problems: InputProblem[] } | { kind: 'paste'; artifact: string; facts: FactMap; warnings: InputWarning[] } | { kind: 'emptyPaste'; artifact: string } | { kind: 'unreadPaste'; artifact: string; problems: InputProblem[] };

/** A rejected reply as one line: each problem's field, what was expected and what came (the first few, as any input error lists them). */
export function replyProblem(reply: { problems: InputProblem[] }): string {
  const { listed, more } = listedProblems(reply.problems);
  return [...listed.map(formatProblem), ...(more > 0 ? [moreProblems(more)] : [])].join('; ');
}

const invalid = (field: string, expected: string, got: string): Reply => ({ kind: 'invalid', problems: [{ field, expected, got }] });

/**
 * Reads a command's saved output (`rca parse KIND`; `auto` tells the kind from the text) into
 * facts and the kind it was read as, telling `warn` what they cannot hold; throws InputError
 * for text it does not recognise.
 */
/** Reads a paste of KIND; COMMAND is the command the question asked to run, whose output the paste likely is (a parser may read from it what the output leaves out). */
export type PasteParser = (kind: string, text: string, warn: (warning: InputWarning) => void, command?: string) => Promise<{ kind: string; facts: FactMap }>;

/** A paste opens with a line `paste KIND` and ends with a line `end` (or the end of input): outputs hold blank lines. */
const PASTE_START = /^paste\s+(\S{1,64})$/i;
export const PASTE_END = 'end';
/** As much as an artifact of `rca diagnose` may hold. */
export const PASTE_MAX_CHARS = 262_144;

/** The kind named by a line `paste KIND`, if the line is one. */
export function pasteStart(text: string): string | undefined {
  // Kinds are lower case (rca parse --list); `paste Ping` means ping, as `PASTE ping` does.
  return PASTE_START.exec(text.trim())?.[1]?.toLowerCase();
}

/**
 * Reads the pasted output after a `paste KIND` line, up to a line `end` or the end of input,
 * and parses it: a paste reply, or an invalid one naming what the parser expected.
 */
export async function readPaste(kind: string, nextLine: () => Promise<string | undefined>, parse: PasteParser, command?: string): Promise<Reply> {
  const lines: string[] = [];
  let size = 0;
  // Read up to the end line even past the limit, so the rest of the paste is not taken for answers.
  for (let line = await nextLine(); line !== undefined && line.trim() !== PASTE_END; line = await nextLine()) {
    size += line.length + 1;
    if (size <= PASTE_MAX_CHARS) lines.push(line);
  }
  if (size > PASTE_MAX_CHARS) return invalid(`paste ${kind}`, `at most ${PASTE_MAX_CHARS} characters before the line "${PASTE_END}"`, String(size));
  // A command that printed nothing (a grep that found no line) is no output to refuse: the
  // question stays unanswered, and the interview goes on (lab 204: the run ended, exit 2).
  if (lines.every((line) => line.trim() === '')) return { kind: 'emptyPaste', artifact: kind };
  try {
    const warnings: InputWarning[] = [];
    const read = await parse(kind, lines.join('\n'), (warning) => warnings.push(warning), command);
    return { kind: 'paste', artifact: read.kind, facts: read.facts, warnings };
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    // A kind rca does not know is the engineer's slip, refused as any bad answer; output of a
    // known kind that its parser cannot read (an app log with no error it knows) is no answer,
    // nor a "don't know": the question is asked again and the interview goes on (labs 207 and
    // 208: a Python traceback and a 429 in the app's log ended the interview with exit 2).
    if (error.problems.some((p) => p.field === 'artifact kind')) return { kind: 'invalid', problems: error.problems };
    return { kind: 'unreadPaste', artifact: kind, problems: error.problems };
  }
}

// A Map, not an object literal: a reply of "__proto__" or "constructor" must not find Object.prototype's.
// The interview speaks English and Chinese, so it takes both languages' words for its commands and yes / no.
const ALIASES = new Map<string, InterviewCommand>([
  ['?', 'unknown'],
  ['？', 'unknown'],
  ['skip', 'unknown'],
  ["don't know", 'unknown'],
  ['不知道', 'unknown'],
  ['不清楚', 'unknown'],
  ['quit', 'done'],
  ['q', 'done'],
  ['exit', 'done'],
  ['stop', 'done'],
  ['结束', 'done'],
  ['undo', 'back'],
]);
const TRUE = new Set(['true', 'yes', 'y', '是', '对', '有']);
const FALSE = new Set(['false', 'no', 'n', '否', '不是', '不', '没有', '无']);

/**
 * The spellings of the time units an answer to a question in ms or s may be typed in, longest
 * first within each unit, and their length in seconds: curl prints seconds, Node and Tomcat take
 * their timeouts in ms, and a timeout is often said in minutes ("0.045 s" to a question in ms is 45,
 * "1m" to a question in s is 60).
 */
const TIME_UNITS: ReadonlyArray<{ spellings: readonly string[]; seconds: number }> = [
  { spellings: ['ms'], seconds: 0.001 },
  { spellings: ['seconds', 'second', 'secs', 'sec', 's'], seconds: 1 },
  { spellings: ['minutes', 'minute', 'mins', 'min', 'm'], seconds: 60 },
  { spellings: ['hours', 'hour', 'hrs', 'hr', 'h'], seconds: 3600 },
];
const SECONDS_OF: ReadonlyMap<string, number> = new Map([['ms', 0.001], ['s', 1]]);

/**
 * A decimal number as people type it (12, -3, 0.5, .5, 1e3): Number() alone also takes 0x10,
 * 0b1 and 0o7, which nobody means as an answer. No part can match what another does: linear.
 */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;

const decimal = (text: string): number => (DECIMAL.test(text) ? Number(text) : Number.NaN);

/** TEXT read as a number in the question's UNIT: the unit may follow it, or, for a question in ms or s, any time unit (converted). */
function numberIn(text: string, unit: string | null): number {
  const questionSeconds = unit === null ? undefined : SECONDS_OF.get(unit);
  if (questionSeconds !== undefined) {
    // "ms" is looked for before "m" and "s", so that 250 ms is not read as 250 m followed by an s.
    for (const { spellings, seconds } of TIME_UNITS) {
      for (const spelling of spellings) {
        const number = withoutUnit(text, spelling);
        // toPrecision: 1.005 s is 1005 ms, not 1004.9999999999999.
        if (number !== text) return Number(((decimal(number) * seconds) / questionSeconds).toPrecision(12));
      }
    }
  }
  // The unit as any language's prompt shows it: a question in days takes "30 days" and "30 天".
  const spellings = unit === null ? [] : [...new Set([unit, ...SUPPORTED_LANGS.map((lang) => unitText(unit, lang))])];
  return decimal(spellings.map((spelling) => withoutUnit(text, spelling)).find((number) => number !== text) ?? text);
}

/** TEXT without a trailing UNIT (case-insensitive, spaces allowed before it); TEXT as it is without one. */
function withoutUnit(text: string, unit: string | null): string {
  if (!unit || !text.toLowerCase().endsWith(unit.toLowerCase())) return text;
  const number = text.slice(0, text.length - unit.length).trimEnd();
  // "ms" alone is no answer, and the unit must follow a number, not be part of a word.
  return number === '' || !/[\d.]$/.test(number) ? text : number;
}

/** The interview command a typed line names (`done`, `q`, `?`, `不知道`, ...), or undefined. */
export function commandOf(text: string): InterviewCommand | undefined {
  const lower = text.trim().toLowerCase();
  return ALIASES.get(lower) ?? (COMMANDS as readonly string[]).find((c): c is InterviewCommand => c === lower);
}

/** A choice's spelling without case, and with spaces or hyphens for its underscores. */
const looseSpelling = (text: string) => text.toLowerCase().replace(/[\s_-]+/g, '_');

/**
 * The choice an answer names when typed as people type it ("Errors", "all clients",
 * "connection-reset"); undefined unless exactly one choice is spelled so, so the vocabulary's
 * check still answers for anything else.
 */
function choiceSpelledAs(text: string, choices: InterviewQuestion['choices']): FactValue | undefined {
  const spelling = looseSpelling(text);
  const matching = (choices ?? []).filter((choice) => typeof choice === 'string' && looseSpelling(choice) === spelling);
  return matching.length === 1 ? matching[0] : undefined;
}

/**
 * Reads one typed reply. Values are checked by the same schema as any other input (the
 * vocabulary of the knowledge base asking), so a bad answer gets the same "expected X, got Y" message.
 */
export function parseReply(text: string, question: InterviewQuestion, vocabulary: Vocabulary): Reply {
  const trimmed = text.trim();
  const command = commandOf(trimmed);
  if (command) return { kind: command };
  if (trimmed === '') return invalid(question.fact, expectedAnswer(question), 'nothing');
  const volunteered = VOLUNTEERED.exec(trimmed);
  if (volunteered) return volunteeredReply(volunteered[1] as string, volunteered[2] as string, question, vocabulary) ?? answerTo(question, trimmed, vocabulary);
  return answerTo(question, trimmed, vocabulary);
}

/**
 * `group.fact=value`: what the engineer knows about any fact, said at any question (what a ticket
 * or a dashboard already shows, and a script that answers by fact, not by the order of the
 * questions). A line of text about a fact rca does not know is an answer to the question as any
 * other text, unless the question takes no text; then it is that fact's error (did you mean).
 */
const VOLUNTEERED = /^([A-Za-z_]\w*\.[A-Za-z_]\w*)\s*=\s*(.*)$/;

function volunteeredReply(fact: string, text: string, question: InterviewQuestion, vocabulary: Vocabulary): Reply | undefined {
  const spec = vocabulary.facts.get(fact);
  if (!spec) {
    if (question.type === 'string') return undefined;
    try {
      normalizeFacts({ [fact]: text }, vocabulary);
    } catch (error) {
      if (error instanceof InputError) return { kind: 'invalid', problems: error.problems };
      throw error;
    }
    return undefined;
  }
  const about: InterviewQuestion = { ...question, fact, ...answerShape(spec) };
  // `tcp.connect=` with nothing after it is that fact's error, not the whole line as an answer to the question asked.
  if (text === '') return invalid(fact, expectedAnswer(about), 'nothing');
  // A command word after `=` is no value (`target.host=done`), unless the fact takes it as one:
  // `http.error_source=unknown` is the only way a script gives that value, the line `unknown` being "don't know".
  if (commandOf(text) && choiceSpelledAs(text, about.choices) === undefined) return invalid(fact, expectedAnswer(about), `"${text}"`);
  const reply = answerTo(about, text, vocabulary);
  if (reply.kind !== 'answer' || fact === question.fact) return reply;
  return { kind: 'volunteer', fact, value: reply.value };
}

/**
 * Full-width forms of ASCII (U+FF01 to U+FF5E) as ASCII, the ideographic space as a space: a
 * Chinese input method in full-width mode types ５０３, ５０％ and ｙｅｓ for 503, 50% and yes.
 */
const halfWidth = (text: string) => text.replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');

/** TYPED (trimmed) as an answer to QUESTION, checked by the vocabulary; a refusal quotes it as it came. */
function answerTo(question: InterviewQuestion, typed: string, vocabulary: Vocabulary): Reply {
  const trimmed = halfWidth(typed).trim();
  const lower = trimmed.toLowerCase();
  let value: FactValue;
  switch (question.type) {
    case 'boolean':
      if (TRUE.has(lower)) value = true;
      else if (FALSE.has(lower)) value = false;
      else return invalid(question.fact, 'yes or no', `"${typed}"`);
      break;
    case 'integer':
    case 'number': {
      // The question shows its unit ("(ms)"), so "250 ms" or "12%" means the number in it, and
      // curl's seconds ("0.045 s") are converted to a question in ms.
      const n = numberIn(trimmed, question.unit);
      if (!Number.isFinite(n)) return invalid(question.fact, expectedAnswer(question), `"${typed}"`);
      value = n;
      break;
    }
    case 'enum': {
      const numbered = /^\d+$/.test(trimmed);
      const chosen = (numbered ? question.choices?.[Number(trimmed) - 1] : undefined) ?? choiceSpelledAs(trimmed, question.choices);
      // Said as the prompt lists the answers (an empty one is, too), not in the vocabulary's quoted form.
      if (chosen === undefined && question.choices) return invalid(question.fact, `${expectedAnswer(question)}${numbered ? ` (or its number, 1 to ${question.choices.length})` : ''}`, `"${typed}"`);
      value = chosen ?? trimmed;
      break;
    }
    default:
      // Text is the engineer's own words: kept as typed.
      value = typed;
  }
  try {
    normalizeFacts({ [question.fact]: value }, vocabulary);
  } catch (error) {
    if (error instanceof InputError) return { kind: 'invalid', problems: error.problems };
    throw error;
  }
  return { kind: 'answer', value };
}

/** What an answer to the question must be, in the language of the prompt (errors say it in English, as every error does). */
export function expectedAnswer(q: InterviewQuestion, lang: string = DEFAULT_LANG): string {
  if (q.choices) return q.type === 'boolean' ? uiText('iv_yes_or_no', lang) : uiText('iv_one_of', lang).replace('{choices}', q.choices.join(', '));
  const range = [q.minimum !== null ? `>= ${q.minimum}` : '', q.maximum !== null ? `<= ${q.maximum}` : ''].filter(Boolean).join(uiText('iv_range_and', lang));
  const kind = uiText(q.type === 'integer' ? 'iv_whole_number' : q.type === 'number' ? 'iv_number' : 'iv_text', lang);
  return `${kind}${range ? ` ${range}` : ''}${q.unit ? asideText(unitText(q.unit, lang), lang) : ''}`;
}
