import type { KnowledgeBase } from './kb.js';
import { commandEnvironment } from './templates.js';
import { checkForms, questionCommand, questionCommands } from './variants.js';
import type { FactMap } from './vocabulary.js';

/**
 * The known facts showing that a check's command has been run already (or that what it prints
 * is known anyway), else undefined: `command` filled in from the facts, `template` as the KB
 * writes it (the variant the facts chose), `run` the named command it runs, if that variant is
 * the check's own.
 */
export type KnownReadings = (check: { command: string; template: string; run: string | undefined }) => string[] | undefined;

/**
 * What the facts already read, by command: a check is answered when
 * - its named command prints mostly known facts: more than half of what it carries (top once the
 *   host's CPU, load and busiest process are known; not on the CPU share alone, which a
 *   dashboard may show);
 * - its command is one a question of a known fact has the engineer run (the Node.js GC trace once
 *   the GC time is known), or a part of one (df -h once host.disk_used_pct is known: its question
 *   runs `df -h; df -i`; dig once dns.result is);
 * - or it only picks lines out of a file such a command read (a grep of the nginx error log a
 *   known proxy.upstream_error came from: the engineer has seen those lines). A program that
 *   computes from the file (awk counting the access log's clients, a loop asking each resolver
 *   in resolv.conf) shows what reading it did not, and stays to run.
 * Running it again would tell nothing new (lab reviews 195 and 201): the diagnosis lists such a
 * check after those still to run, and the interview's stop names the first one still to run.
 * Commands compare filled in (the strace of proc.top_pid is the strace of proc.app_pid when
 * they are one process); what a command's text says (its files, whether it could be a check's
 * command at all) is read once.
 */
export function knownReadings(kb: KnowledgeBase, facts: FactMap): KnownReadings {
  const commands = commandsOf(kb);
  // Built on the first check that could be answered (mayBeKnown): most diagnoses ask few.
  let index: ReadingsIndex | undefined;
  return ({ command, template, run }) => {
    const { byName, byCommand, byFile } = (index ??= readingsIndex(kb, commands, facts));
    const named = run === undefined ? undefined : byName.get(run);
    const ran = byCommand.get(command);
    const { linesPicked } = shapeOf(commands, template);
    const read = linesPicked.length === 0 ? linesPicked : linesPicked.flatMap((file) => [...(byFile.get(file) ?? [])]);
    if (named === undefined && ran === undefined && read.length === 0) return undefined;
    return [...new Set([...(named ?? []), ...(ran ?? []), ...read])];
  };
}

/**
 * Whether any facts could answer a check (knownReadings), from its text alone: it runs a named
 * command, its text is some question's command (or part of one) but for the facts filled in, or
 * it picks lines out of a file some question's command reads. A diagnosis asks knownReadings
 * only about these, the few of the hundred checks it lists.
 */
export function mayBeKnown(kb: KnowledgeBase, template: string, run: string | undefined): boolean {
  const commands = commandsOf(kb);
  return run !== undefined || commands.questionsBlanked.has(blanked(template)) || shapeOf(commands, template).linesPicked.some((file) => commands.filesRead.has(file));
}

/** The known facts by the named command, the command (filled in) and the file their questions read. */
interface ReadingsIndex {
  byName: Map<string, string[]>;
  byCommand: Map<string, Set<string>>;
  byFile: Map<string, Set<string>>;
}

function readingsIndex(kb: KnowledgeBase, commands: Commands, facts: FactMap): ReadingsIndex {
  const index: ReadingsIndex = { byName: new Map(), byCommand: new Map(), byFile: new Map() };
  const add = (map: Map<string, Set<string>>, key: string, fact: string) => {
    let known = map.get(key);
    if (!known) map.set(key, (known = new Set()));
    known.add(fact);
  };
  for (const fact of Object.keys(facts)) {
    const question = kb.questions.get(fact)?.value;
    const how = question && questionCommand(question, facts).how;
    if (!question || !how) continue;
    if (question.run !== undefined) {
      const printed = question.carries ?? [fact];
      const known = printed.filter((f) => f in facts);
      if (known.length * 2 > printed.length) index.byName.set(question.run, known);
    }
    const shape = shapeOf(commands, how);
    for (const file of shape.files) add(index.byFile, file, fact);
    // Each part of the command, and the whole of one no other question runs (a named command's
    // whole output counts as run by the share of it known, above), filled in only if some
    // check's command could be it.
    const whole = question.run === undefined && shape.wholeMayBeACheck;
    if (!whole && !shape.partMayBeACheck) continue;
    const filled = shape.placeholders ? commandEnvironment().commandTemplate(how, `question ${fact}`)(facts) : how;
    for (const command of whole ? [filled, ...partsOf(filled)] : partsOf(filled)) add(index.byCommand, command, fact);
  }
  return index;
}

/** What a command's text says of what running it does, read once per knowledge base and text. */
interface CommandShape {
  /** Whether it has facts to fill in; without, it is its own filled-in form. */
  placeholders: boolean;
  /** Whether it, filled in, could be a check's command (its text blanked is a check's: blanked). */
  wholeMayBeACheck: boolean;
  /** Whether one of its parts (partsOf) could. */
  partMayBeACheck: boolean;
  /** The absolute paths of files it names (filesNamed): a fact's value is never one. */
  files: readonly string[];
  /** Those files again if it only picks lines out of them (it starts with a line picker), else none. */
  linesPicked: readonly string[];
}

/**
 * A knowledge base's check commands and its questions' commands (whole and parts), blanked, the
 * files its questions' commands read, and the shapes of the command texts read so far (its own,
 * so bounded by it).
 */
interface Commands {
  checksBlanked: ReadonlySet<string>;
  questionsBlanked: ReadonlySet<string>;
  filesRead: ReadonlySet<string>;
  shapes: Map<string, CommandShape>;
}

const commandsByKb = new WeakMap<KnowledgeBase, Commands>();

function commandsOf(kb: KnowledgeBase): Commands {
  let commands = commandsByKb.get(kb);
  if (!commands) {
    const checksBlanked = new Set<string>();
    for (const { value } of kb.hypotheses.values()) {
      for (const check of value.checks) for (const form of checkForms(check)) checksBlanked.add(blanked(form.check.command));
    }
    const questionsBlanked = new Set<string>();
    const filesRead = new Set<string>();
    for (const { value } of kb.questions.values()) {
      for (const { how } of questionCommands(value)) {
        for (const command of [how, ...partsOf(how)]) questionsBlanked.add(blanked(command));
        for (const file of filesNamed(how)) filesRead.add(file);
      }
    }
    commandsByKb.set(kb, (commands = { checksBlanked, questionsBlanked, filesRead, shapes: new Map() }));
  }
  return commands;
}

function shapeOf({ checksBlanked, shapes }: Commands, text: string): CommandShape {
  let shape = shapes.get(text);
  if (!shape) {
    const files = filesNamed(text);
    const program = /^\s*([\w-]+)/.exec(text)?.[1];
    shape = {
      placeholders: text.includes('{{'),
      wholeMayBeACheck: checksBlanked.has(blanked(text)),
      partMayBeACheck: partsOf(text).some((part) => checksBlanked.has(blanked(part))),
      files,
      linesPicked: program !== undefined && LINE_PICKERS.has(program) ? files : [],
    };
    shapes.set(text, shape);
  }
  return shape;
}

/** A command's text with each `{{...}}` blanked: two commands fill in alike only if their texts blanked are one. */
function blanked(text: string): string {
  return text.replace(/\{\{[^}]*\}\}/g, '{{}}').trim();
}

/** A command's parts, `;` apart, each trimmed (`df -h` and `df -i` of `df -h; df -i`). */
function partsOf(command: string): string[] {
  return command.split(';').map((part) => part.trim());
}

/** Programs whose output is lines of their input file as they are. */
const LINE_PICKERS: ReadonlySet<string> = new Set(['cat', 'grep', 'egrep', 'zgrep', 'head', 'tail']);

/**
 * The absolute paths of files a command names (/var/log/nginx/error.log, /etc/resolv.conf), not
 * devices (/dev/null): what running it reads. A path is a word of its own, after a space, a
 * quote or a redirection.
 */
function filesNamed(command: string): string[] {
  return (command.match(/(?<=^|[\s'"<>=])\/[\w.-]+(?:\/[\w.-]+)+/g) ?? []).filter((path) => !path.startsWith('/dev/'));
}
