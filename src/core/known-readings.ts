import type { KnowledgeBase } from './kb.js';
import { questionHow } from './question.js';
import type { FactMap } from './vocabulary.js';

/**
 * The known facts showing that a check's command has been run already (or that what it prints
 * is known anyway), else undefined. `name` is the named command the check runs, if the variant
 * the facts chose is the check's own.
 */
export type KnownReadings = (command: string, name: string | undefined) => string[] | undefined;

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
 */
export function knownReadings(kb: KnowledgeBase, facts: FactMap): KnownReadings {
  const byName = new Map<string, string[]>();
  const byCommand = new Map<string, Set<string>>();
  const byFile = new Map<string, Set<string>>();
  const add = (index: Map<string, Set<string>>, key: string, fact: string) => {
    let known = index.get(key);
    if (!known) index.set(key, (known = new Set()));
    known.add(fact);
  };
  for (const fact of Object.keys(facts)) {
    const question = kb.questions.get(fact)?.value;
    const how = question ? questionHow(kb, fact, facts) : null;
    if (!question || !how) continue;
    const printed = question.carries ?? [fact];
    const known = printed.filter((f) => f in facts);
    if (question.run !== undefined && known.length * 2 > printed.length) byName.set(question.run, known);
    // Each part of the command (df -h of `df -h; df -i`; dig once dns.result is known), and the
    // whole of one no other question runs: a named command's whole output counts as run by the
    // share of it known, above.
    const parts = how.split(';').map((part) => part.trim());
    for (const command of new Set(question.run === undefined ? [how, ...parts] : parts)) add(byCommand, command, fact);
    for (const file of filesNamed(how)) add(byFile, file, fact);
  }
  return (command, name) => {
    const known = new Set<string>(name === undefined ? [] : (byName.get(name) ?? []));
    for (const fact of byCommand.get(command) ?? []) known.add(fact);
    for (const file of linesPickedFrom(command)) for (const fact of byFile.get(file) ?? []) known.add(fact);
    return known.size > 0 ? [...known] : undefined;
  };
}

/** Programs whose output is lines of their input file as they are. */
const LINE_PICKERS: ReadonlySet<string> = new Set(['cat', 'grep', 'egrep', 'zgrep', 'head', 'tail']);

/** The files a command only picks lines from: those it names if it starts with a line picker, else none. */
function linesPickedFrom(command: string): string[] {
  const program = /^\s*([\w-]+)/.exec(command)?.[1];
  return program !== undefined && LINE_PICKERS.has(program) ? filesNamed(command) : [];
}

/**
 * The absolute paths of files a command names (/var/log/nginx/error.log, /etc/resolv.conf), not
 * devices (/dev/null): what running it reads. A path is a word of its own, after a space, a
 * quote or a redirection.
 */
function filesNamed(command: string): string[] {
  return (command.match(/(?<=^|[\s'"<>=])\/[\w.-]+(?:\/[\w.-]+)+/g) ?? []).filter((path) => !path.startsWith('/dev/'));
}
