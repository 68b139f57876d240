import { InputError } from '../../core/errors.js';
import { normalizeFacts } from '../../core/facts.js';
import type { InterviewQuestion } from '../../core/interview.js';
import type { FactValue } from '../../core/vocabulary.js';

/** What a person can say to a question besides an answer. */
export const COMMANDS = ['unknown', 'why', 'how', 'back', 'done'] as const;
export type InterviewCommand = (typeof COMMANDS)[number];

export type Reply = { kind: 'answer'; value: FactValue } | { kind: InterviewCommand } | { kind: 'invalid'; message: string };

const ALIASES: Record<string, InterviewCommand> = { '?': 'unknown', skip: 'unknown', "don't know": 'unknown', quit: 'done', stop: 'done', undo: 'back' };
const TRUE = new Set(['true', 'yes', 'y']);
const FALSE = new Set(['false', 'no', 'n']);

/**
 * Reads one typed reply. Values are checked by the same schema as any other input,
 * so a bad answer gets the same "expected X, got Y" message.
 */
export function parseReply(text: string, question: InterviewQuestion): Reply {
  const trimmed = text.trim();
  const lower = trimmed.toLowerCase();
  const command = ALIASES[lower] ?? (COMMANDS as readonly string[]).find((c) => c === lower);
  if (command) return { kind: command as InterviewCommand };
  if (trimmed === '') return { kind: 'invalid', message: `${question.fact}: expected ${expectedAnswer(question)}, got nothing` };
  let value: FactValue;
  switch (question.type) {
    case 'boolean':
      if (TRUE.has(lower)) value = true;
      else if (FALSE.has(lower)) value = false;
      else return { kind: 'invalid', message: `${question.fact}: expected yes or no, got "${trimmed}"` };
      break;
    case 'integer':
    case 'number': {
      const n = Number(trimmed);
      if (!Number.isFinite(n)) return { kind: 'invalid', message: `${question.fact}: expected ${expectedAnswer(question)}, got "${trimmed}"` };
      value = n;
      break;
    }
    case 'enum': {
      const byNumber = /^\d+$/.test(trimmed) ? question.choices?.[Number(trimmed) - 1] : undefined;
      value = byNumber ?? trimmed;
      break;
    }
    default:
      value = trimmed;
  }
  try {
    normalizeFacts({ [question.fact]: value });
  } catch (error) {
    if (error instanceof InputError) return { kind: 'invalid', message: error.message };
    throw error;
  }
  return { kind: 'answer', value };
}

export function expectedAnswer(q: InterviewQuestion): string {
  if (q.choices) return q.type === 'boolean' ? 'yes or no' : `one of ${q.choices.join(', ')}`;
  const range = [q.minimum !== null ? `>= ${q.minimum}` : '', q.maximum !== null ? `<= ${q.maximum}` : ''].filter(Boolean).join(' and ');
  const kind = q.type === 'integer' ? 'a whole number' : q.type === 'number' ? 'a number' : 'text';
  return `${kind}${range ? ` ${range}` : ''}${q.unit ? ` (${q.unit})` : ''}`;
}
