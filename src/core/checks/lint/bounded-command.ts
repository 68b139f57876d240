import { unboundedPrograms } from '../../bounded-commands.js';
import { commandsAsWritten } from '../../variants.js';
import type { LintCheck } from '../check.js';

export const boundedCommand: LintCheck = {
  meta: {
    id: 'bounded-command',
    severity: 'warning',
    docs: {
      description:
        "A question's `how`, a check's `command` or a named command (or one of their variants) runs a program that does not end by itself: tcpdump without -c, tshark without -c or -a, ping without -c or -w, strace or ltrace -p, curl without --max-time, vmstat, iostat, mpstat, pidstat or sar with an interval and no count, top -b without -n, tail, journalctl or dmesg following; none under timeout.",
      why: 'The engineer pastes the command on a production host during an incident: one that runs until interrupted holds the terminal (a capture or a trace floods it, and a trace slows the process all the while), curl waits on a stalled server for ever, and what it printed is not pasted back before Ctrl-C.',
    },
  },
  run(kb, report) {
    for (const { text, file, path, id } of commandsAsWritten(kb)) {
      for (const { got, write } of unboundedPrograms(text)) report(file, path, id, `expected a command that ends by itself, got ${got}: write ${write}`);
    }
  },
};
