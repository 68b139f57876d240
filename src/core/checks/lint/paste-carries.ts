import { placeOf } from '../../kb-place.js';
import { kindFacts } from '../../paste.js';
import { questionCommands } from '../../variants.js';
import type { LintCheck } from '../check.js';

/** At most this many of the kind's other facts are named in a finding: the rest are counted. */
const NAMED = 6;

export const pasteCarries: LintCheck = {
  meta: {
    id: 'paste-carries',
    severity: 'warning',
    docs: {
      description: "A question's `paste` (or a variant's) names a kind that carries other facts too, and no `carries` says which of them the output of its command prints.",
      why: "The interview values a question by what its paste would fill, and a replay of the corpus fills what the paste carries: without `carries`, both count every fact the kind reads, though `ss -s` prints no CLOSE-WAIT count and `nstat -az TcpExtListenOverflows` no retransmissions. That asks for the paste too early and credits it with answers it never gives.",
    },
  },
  run(kb, report, { kindsCarrying }) {
    for (const [fact, question] of kb.questions) {
      // pasteAs names the facts its paste fills (loading refuses carries beside it: command-variants).
      if (question.value.pasteAs !== undefined) continue;
      for (const { paste, carries, pointer } of questionCommands(question.value)) {
        if (paste === undefined || carries !== undefined) continue;
        const others = kindFacts(kb, kindsCarrying, paste).filter((f) => f !== fact);
        if (others.length === 0 || !kindsCarrying(fact).includes(paste)) continue;
        const named = others.length > NAMED ? `${others.slice(0, NAMED).join(', ')} and ${others.length - NAMED} more` : others.join(', ');
        const { file, path } = placeOf(question, `${pointer}/paste`);
        report(file, path, fact, `pastes "${paste}", which also carries ${named}: expected carries, the facts the output of its command prints (the interview and the replay count them all without it)`);
      }
    }
  },
};
