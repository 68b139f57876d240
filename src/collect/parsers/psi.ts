import type { InputWarning } from '../../core/request.js';
import { notRecognised, type ArtifactParser, type ParsedFacts } from './types.js';
import { artifactLines, definedFacts } from './text.js';

const EXPECTED =
  'pressure stall information ("some avg10=N avg60=N avg300=N total=N" lines) as head prints /proc/pressure/cpu, memory and io ' +
  "or a cgroup v2 group's cpu.pressure, memory.pressure and io.pressure, each under its ==> FILE <== header or the command line that printed it";

/** The command the warnings name: head labels each file with its name. */
const READ_NAMED = 'head /proc/pressure/cpu /proc/pressure/memory /proc/pressure/io (a container\'s own: head /sys/fs/cgroup/cpu.pressure /sys/fs/cgroup/memory.pressure /sys/fs/cgroup/io.pressure)';

type Resource = 'cpu' | 'memory' | 'io';

const FACT: Record<Resource, string> = { cpu: 'psi.cpu_some_pct', memory: 'psi.memory_some_pct', io: 'psi.io_some_pct' };

/** One line of a pressure file (psi.rst, "Pressure interface"): avg10 is the share of the last ten seconds. */
const PRESSURE_LINE = /^(some|full) avg10=(\d{1,3}\.\d{1,2}) avg60=\d{1,3}\.\d{1,2} avg300=\d{1,3}\.\d{1,2} total=\d{1,20}$/;
/** A word of a command line or a ==> header naming the host's pressure file ... */
const HOST_FILE = /^\/proc\/pressure\/(cpu|memory|io)$/;
/** ... or a cgroup v2 group's, by its path or its name alone. */
const GROUP_FILE = /(?:^|\/)(cpu|memory|io)\.pressure$/;
/** What may cling to a file name in a command line: quotes, a separator, a redirection. */
const CLINGING = new Set(['"', "'", '(', ')', ';', ',', '&', '|', '<', '>']);

/** The word without what clings to its ends, by index (no pattern that backtracks over a long run). */
function unclung(word: string): string {
  let start = 0;
  let end = word.length;
  while (start < end && CLINGING.has(word.charAt(start))) start += 1;
  while (end > start && CLINGING.has(word.charAt(end - 1))) end -= 1;
  return word.slice(start, end);
}

/** A named file: its resource, and whether it is the host's or a group's (with the path as written). */
interface PressureFile {
  resource: Resource;
  path: string;
  scope: 'host' | 'group';
}

/** The last "some" avg10 of each resource and scope, and the blocks no file name could be given to. */
interface PsiText {
  some: Map<string, { file: PressureFile; avg10: number }>;
  recognised: boolean;
  unattributed: number;
}

/** The pressure files a line names, in its order (words split on blanks: one pass, no backtracking). */
function filesNamed(line: string): PressureFile[] {
  return line.split(/\s+/).flatMap((word): PressureFile[] => {
    const path = unclung(word);
    const host = HOST_FILE.exec(path)?.[1];
    if (host !== undefined) return [{ resource: host as Resource, path, scope: 'host' }];
    const group = GROUP_FILE.exec(path)?.[1];
    return group === undefined ? [] : [{ resource: group as Resource, path, scope: 'group' }];
  });
}

/**
 * The "some" lines, each given to the next file the last command line or ==> header named (a
 * "some" line starts a file's block; "full" follows it in the same block). A later reading of the
 * same file replaces an earlier one: the last is the newest.
 */
function readPsi(all: readonly string[]): PsiText {
  const some = new Map<string, { file: PressureFile; avg10: number }>();
  let labels: PressureFile[] = [];
  let recognised = false;
  let unattributed = 0;
  for (const raw of all) {
    const line = raw.trim();
    const pressure = PRESSURE_LINE.exec(line);
    if (pressure?.[1] !== undefined && pressure[2] !== undefined) {
      recognised = true;
      if (pressure[1] === 'full') continue;
      const file = labels.shift();
      if (file === undefined) unattributed += 1;
      else some.set(`${file.scope}:${file.resource}`, { file, avg10: Number(pressure[2]) });
      continue;
    }
    if (line !== '') labels = filesNamed(line);
  }
  return { some, recognised, unattributed };
}

export const psiParser: ArtifactParser = {
  kind: 'psi',
  describe:
    'pressure stall information, head /proc/pressure/cpu /proc/pressure/memory /proc/pressure/io (a cgroup v2 group\'s: ' +
    'head /sys/fs/cgroup/cpu.pressure /sys/fs/cgroup/memory.pressure /sys/fs/cgroup/io.pressure; cat works under the command line naming the files): ' +
    'psi.cpu_some_pct, psi.memory_some_pct, psi.io_some_pct, the "some" avg10 of each (the share of the last 10 s in which a task waited on it), ' +
    "the last reading of each; a group's file wins over the host's, and a warning says which was read; a block under no file name gives nothing",
  parse(text, context): ParsedFacts {
    const read = readPsi(artifactLines(text));
    if (!read.recognised) throw notRecognised('psi', EXPECTED);
    const warnings: InputWarning[] = [];
    const facts: Record<string, number | undefined> = {};
    for (const resource of ['cpu', 'memory', 'io'] as const) {
      const field = FACT[resource];
      const group = read.some.get(`group:${resource}`);
      const host = read.some.get(`host:${resource}`);
      const chosen = group ?? host;
      if (chosen === undefined) continue;
      facts[field] = chosen.avg10;
      const message =
        chosen.file.scope === 'group'
          ? `${chosen.file.path} is a cgroup's own: it counts only that group's tasks${resource === 'cpu' ? ', and (Linux 5.7 and later) their time throttled by its cpu.max' : ''}${host === undefined ? '' : ` (the host's ${host.file.path} said ${host.avg10})`}`
          : `${chosen.file.path} is the host's: it counts every task on the host, so a busy neighbour raises it and one container's stalls are diluted; a cgroup v2 container has its own (/sys/fs/cgroup/${resource}.pressure inside it)`;
      warnings.push({ field, message });
    }
    if (read.unattributed > 0) {
      warnings.push({
        field: 'psi.memory_some_pct',
        message: `${read.unattributed} pressure block${read.unattributed === 1 ? '' : 's'} under no file name: whether each is CPU, memory or IO, the host's or a group's, cannot be told; paste them as head prints them (${READ_NAMED})`,
      });
    }
    for (const warning of warnings) context?.warn?.(warning);
    return definedFacts(facts);
  },
};
