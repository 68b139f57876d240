import { curlWriteOuts } from '../../curl-commands.js';
import { commandsAsWritten } from '../../variants.js';
import type { LintCheck } from '../check.js';

/** Two requests of a loop: enough to show whether each gets a line of its own. */
const LOOP_REQUESTS = 2;

export const curlWriteOut: LintCheck = {
  meta: {
    id: 'curl-write-out',
    severity: 'error',
    docs: {
      description: "A question's `how` or a check's `command` (or one of their variants) runs curl with a -w / --write-out format whose output `rca parse curl-w` does not read.",
      why: 'The engineer pastes what the command printed back into the interview, `rca parse` or the API: bare values (`200 0.31`) or names of its own (`ttfb=`) are refused there, so the measurement the knowledge base asked for is lost.',
    },
  },
  run(kb, report, { readCurlWriteOut }) {
    const checkCommand = (command: string, file: string, path: string, id: string) => {
      for (const { format, inLoop } of curlWriteOuts(command)) {
        if (format.startsWith('@')) {
          report(file, path, id, `runs curl -w ${format}: expected the format itself in the command, so that what it prints can be checked, got one read from a file`);
          continue;
        }
        const requests = inLoop ? LOOP_REQUESTS : 1;
        const unread = readCurlWriteOut(format, requests);
        if (!unread) continue;
        report(
          file,
          path,
          id,
          `runs curl -w '${format}': expected output rca parse curl-w reads, one line per request of name=value pairs named as curl names them, with http_code and a time_ variable (errormsg last), or %{json}; ` +
            `got ${JSON.stringify(unread.sample)} for ${inLoop ? `${LOOP_REQUESTS} requests of its loop` : 'a request'}: write -w '${unread.named}'`,
        );
      }
    };
    for (const { text, file, path, id } of commandsAsWritten(kb)) checkCommand(text, file, path, id);
  },
};
