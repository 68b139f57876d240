import { notRecognised, type ArtifactParser, type ParsedFacts, type ParseContext } from './types.js';
import { artifactLines, toNumber } from './text.js';

const STATUS_TO_RESULT: Readonly<Record<string, string>> = { NOERROR: 'ok', NXDOMAIN: 'nxdomain', SERVFAIL: 'servfail', REFUSED: 'refused' };
const EXPECTED = 'output of `dig NAME` (not +short): the ";; ->>HEADER<<-" status line or a timeout';
const HEADER = '->>HEADER<<-';

/** dig's banner, printed first by every run with +cmd (the default): "; <<>> DiG 9.18 <<>> @SERVER NAME". */
const BANNER = /^; <<>> DiG /;
/** A shell prompt's command line running dig ("$ dig @10.0.0.2 NAME", "root@web-1:~# dig NAME"), which a paste of several runs may keep before each. */
const COMMAND_LINE = /^(?:\S*[$#%>] *)?dig +\S/;
/** The server asked, on a banner or command line: dig's "@SERVER" argument. */
const AT_SERVER = / @(\S+)/;
/** ";;  SERVER: 10.0.0.53#53(10.0.0.53) (UDP)": the address (and port, when not 53) that answered. */
const SERVER_LINE = /^;; SERVER: ([^\s(]+)/;
/** The question section's one line: ";NAME.  IN  TYPE". */
const QUESTION_LINE = /^;([^\s;]+)\s+(?:IN\s+)?([A-Z][A-Z0-9]*)\s*$/;
/** An answer record of the address chain: "NAME.  TTL  IN  A|AAAA|CNAME  DATA" (dig's +ttlid and +class, its defaults). */
const ADDRESS_RECORD = /^([^\s;]+)\s+(\d+)\s+IN\s+(A|AAAA|CNAME)\s+(\S+)\s*$/;
/** A warning lists at most this many runs and addresses per run: a hostile paste cannot make it long. */
const LISTED = 5;

/** The last "status: X" after the header on a line; indexOf, since `HEADER.*status` backtracks per header. */
function headerStatus(line: string): string | undefined {
  const at = line.indexOf(HEADER);
  if (at < 0) return undefined;
  let status: string | undefined;
  for (const match of line.slice(at + HEADER.length).matchAll(/\bstatus: ([A-Z]+)/g)) status = match[1];
  return status;
}

/** Whether a line has `prefix` and, somewhere after it, `suffix` (the pattern `prefix.*suffix`). */
function hasAfter(line: string, prefix: string, suffix: string): boolean {
  const at = line.indexOf(prefix);
  return at >= 0 && line.indexOf(suffix, at + prefix.length) >= 0;
}

/** A domain name as compared: lower case, without the root's trailing dot. */
function domainName(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

interface AnswerRecord {
  name: string;
  ttl: number;
  type: string;
  data: string;
}

/** One response dig printed: its status, question, answer records, the server that gave it and the time it took. */
interface Response {
  /** The server named by the run's "@SERVER" (banner or command line), until the response's own SERVER line says. */
  server?: string;
  status?: string;
  question?: { name: string; type: string };
  records: AnswerRecord[];
  queryMs?: number;
}

function hasContent(response: Response): boolean {
  return response.status !== undefined || response.question !== undefined || response.records.length > 0 || response.queryMs !== undefined;
}

/**
 * The responses of a paste, in order. A new one starts at a command line or banner (a new run of
 * dig, which also names the server it asks) or at a second header within a run (+search, or
 * several servers, print one per answer). Only the answer section's records count: the
 * authority and additional sections hold name servers and their glue addresses.
 */
function responsesOf(all: readonly string[]): Response[] {
  const responses: Response[] = [];
  let current: Response = { records: [] };
  let section: 'question' | 'answer' | 'other' = 'other';
  const start = (server: string | undefined) => {
    if (hasContent(current)) responses.push(current);
    current = { records: [], ...(server !== undefined && { server }) };
    section = 'other';
  };
  for (const line of all) {
    if (COMMAND_LINE.test(line) || BANNER.test(line)) {
      // The banner right under its own command line is the same run: it keeps the server the command named.
      start(AT_SERVER.exec(line)?.[1] ?? (hasContent(current) ? undefined : current.server));
      continue;
    }
    const status = headerStatus(line);
    if (status !== undefined) {
      if (current.status !== undefined) start(current.server);
      current.status = status;
      continue;
    }
    if (line.trim() === '') {
      section = 'other';
      continue;
    }
    if (line.startsWith(';; ')) {
      section = line === ';; QUESTION SECTION:' ? 'question' : line === ';; ANSWER SECTION:' ? 'answer' : 'other';
      const server = SERVER_LINE.exec(line)?.[1];
      if (server !== undefined) current.server = server.replace(/#53$/, '');
      const queryMs = /^;; Query time: (\d+) msec/.exec(line)?.[1];
      if (queryMs !== undefined) current.queryMs = toNumber(queryMs);
      continue;
    }
    if (section === 'question') {
      const question = QUESTION_LINE.exec(line);
      if (question) current.question = { name: domainName(question[1] as string), type: question[2] as string };
    } else if (section === 'answer') {
      const record = ADDRESS_RECORD.exec(line);
      if (record) current.records.push({ name: domainName(record[1] as string), ttl: Number(record[2]), type: record[3] as string, data: record[4] as string });
    }
  }
  if (hasContent(current)) responses.push(current);
  return responses;
}

/**
 * The addresses a response gives for its question: the A or AAAA records of the name and of every
 * name a CNAME chain from it leads to (each name visited once, so a loop ends), as address -> TTL.
 */
function addressesOf(response: Response): Map<string, number> {
  const addresses = new Map<string, number>();
  const question = response.question;
  if (question === undefined) return addresses;
  const aliases = new Map<string, string[]>();
  for (const record of response.records) {
    if (record.type !== 'CNAME') continue;
    const targets = aliases.get(record.name);
    if (targets) targets.push(domainName(record.data));
    else aliases.set(record.name, [domainName(record.data)]);
  }
  const reached = new Set([question.name]);
  const queue = [question.name];
  for (let next = queue.pop(); next !== undefined; next = queue.pop()) {
    for (const target of aliases.get(next) ?? []) {
      if (reached.has(target)) continue;
      reached.add(target);
      queue.push(target);
    }
  }
  for (const record of response.records) {
    if ((record.type !== 'A' && record.type !== 'AAAA') || !reached.has(record.name)) continue;
    const address = record.data.toLowerCase();
    addresses.set(address, Math.max(record.ttl, addresses.get(address) ?? 0));
  }
  return addresses;
}

function sameAddresses(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): boolean {
  return a.size === b.size && [...a.keys()].every((address) => b.has(address));
}

/** At most LISTED of ITEMS, then how many more. */
function listed(items: readonly string[], separator: string): string {
  const shown = items.slice(0, LISTED).join(separator);
  return items.length > LISTED ? `${shown}${separator}and ${items.length - LISTED} more` : shown;
}

function answerText(answer: { n: number; server?: string; addresses: ReadonlyMap<string, number> }): string {
  const addresses = [...answer.addresses].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([address, ttl]) => `${address} (TTL ${ttl})`);
  return `run ${answer.n}${answer.server === undefined ? '' : ` (server ${answer.server})`}: ${listed(addresses, ', ')}`;
}

/**
 * dns.answer_mismatch from two or more runs that asked the same question (name and type) and got
 * addresses: whether their sets differ. Different sets are warned with who answered what, since
 * the fact cannot say which answer is current. Runs of different questions compare nothing.
 */
function answerMismatch(responses: readonly Response[], context: ParseContext | undefined): boolean | undefined {
  const answers = responses.flatMap((response, i) => {
    const addresses = addressesOf(response);
    return addresses.size === 0 || response.question === undefined ? [] : [{ n: i + 1, server: response.server, question: response.question, addresses }];
  });
  if (answers.length < 2) return undefined;
  const first = answers[0] as (typeof answers)[number];
  const name = `${first.question.name} ${first.question.type}`;
  if (answers.some((answer) => `${answer.question.name} ${answer.question.type}` !== name)) {
    const asked = [...new Set(answers.map((answer) => `${answer.question.name} ${answer.question.type}`))];
    context?.warn?.({ field: 'dns.answer_mismatch', message: `the dig runs ask different questions (${listed(asked, ', ')}), so their answers compare nothing: run the same \`dig NAME\` on a failing and on a healthy client` });
    return undefined;
  }
  if (answers.every((answer) => sameAddresses(answer.addresses, first.addresses))) return false;
  context?.warn?.({
    field: 'dns.answer_mismatch',
    message:
      `the ${answers.length} dig runs of ${name} get different addresses: ${listed(answers.map(answerText), '; ')}. ` +
      `The address the failing clients get is the one to check; a high remaining TTL is a cached copy, and \`dig +trace ${first.question.name}\` gives the authoritative answer (a CDN or geo-DNS answers each resolver differently by design)`,
  });
  return true;
}

/**
 * dns.aaaa_present from the runs that asked for AAAA and got NOERROR: true when one answered an
 * IPv6 address (through CNAMEs), false when none did (NODATA: the name exists without one).
 * Runs of other types say nothing about it.
 */
function aaaaPresent(responses: readonly Response[]): boolean | undefined {
  const asked = responses.filter((response) => response.question?.type === 'AAAA' && response.status === 'NOERROR');
  return asked.length === 0 ? undefined : asked.some((response) => addressesOf(response).size > 0);
}

export const digParser: ArtifactParser = {
  kind: 'dig',
  describe:
    'dig [@SERVER] NAME: dns.result from the status (NOERROR ok, NXDOMAIN, SERVFAIL, REFUSED), or timeout when no server ' +
    'answered (";; connection timed out", "communications error ... timed out" or "... connection refused"), dns.resolve_ms from ";; Query time"; ' +
    'two or more runs of the same NAME pasted together (from a failing and a healthy client, or `dig @SERVER NAME` per resolver): ' +
    'dns.answer_mismatch, whether the addresses of their answer sections (A/AAAA, through CNAMEs) differ, with a warning naming which server gave which; ' +
    'several dig outputs given as separate artifacts are compared the same way; ' +
    'dig AAAA NAME: dns.aaaa_present (true when the answer holds an IPv6 address, false on NOERROR without one)',
  readTogether: ['dns.answer_mismatch'],
  parse(text, context) {
    const all = artifactLines(text);
    const responses = responsesOf(all);
    // With +search or several servers dig may print more than one answer: the last one counts.
    const answered = responses.findLast((response) => response.status !== undefined);
    if (answered?.status !== undefined) {
      const result = STATUS_TO_RESULT[answered.status];
      if (result === undefined) throw notRecognised('dig', EXPECTED, `status ${answered.status}, which no dns.result value describes`);
      const facts: ParsedFacts = { 'dns.result': result };
      if (answered.queryMs !== undefined) facts['dns.resolve_ms'] = answered.queryMs;
      const mismatch = answerMismatch(responses, context);
      if (mismatch !== undefined) facts['dns.answer_mismatch'] = mismatch;
      const aaaa = aaaaPresent(responses);
      if (aaaa !== undefined) facts['dns.aaaa_present'] = aaaa;
      return facts;
    }
    // dig 9.16 ";; connection timed out; no servers could be reached"; 9.18 ";; communications
    // error to 127.0.0.1#53: timed out" then ";; no servers could be reached".
    const communicationsError = (suffix: string) => all.some((line) => hasAfter(line, ';; communications error to ', suffix));
    // A resolver port nothing listens on (ICMP port unreachable, "connection refused") ends the
    // same way: no server answered. The system resolver reports both alike (EAI_AGAIN, "Temporary
    // failure in name resolution"), and dns.result has one value for "no answer at all".
    if (all.some((line) => line.includes(';; connection timed out')) || communicationsError(': timed out') || communicationsError(': connection refused')) {
      return { 'dns.result': 'timeout' };
    }
    const answers = all.filter((line) => line.trim() !== '');
    if (answers.length > 0 && answers.every((line) => /^[\w.:-]+\.?$/.test(line.trim()) && /[.:]/.test(line))) {
      throw notRecognised('dig', EXPECTED, 'bare answers (dig +short), which carry no status');
    }
    throw notRecognised('dig', EXPECTED);
  },
};
