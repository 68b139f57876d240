import { X509Certificate } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { isIP } from 'node:net';
import { collect } from '../../collect/collect.js';
import type { ProbeOutcome } from '../../collect/probes/outcome.js';
import { diagnose } from '../../core/diagnose.js';
import { visible } from '../../core/escape.js';
import { InputError, UsageError } from '../../core/errors.js';
import { renderReport } from '../../core/render.js';
import { defineCommand } from '../command.js';
import { processNaming, redactOption } from '../redact-option.js';
import { kindOf, type CliIo } from '../io.js';
import { kbOption, loadKb } from '../kb-option.js';
import { asciiHost } from '../target-option.js';
import { checkReportArgs, reportOptions, useColor, type ReportArgs } from './diagnose.js';
import { fileErrorText } from '../../core/files.js';
import type { DiagnoseRequest } from '../../generated/diagnose-request.js';

interface CollectArgs extends ReportArgs {
  host?: string;
  port?: number;
  url?: string;
  pid?: number;
  timeout: number;
  diagnose?: boolean;
  dnsServer?: string[];
  hostFacts?: boolean;
  kb?: string[];
  redact: boolean;
  ca?: string;
  insecure?: boolean;
}

/** The shortest bound of a probe, in seconds: TCP's initial retransmission timeout (RFC 6298). */
const MIN_TIMEOUT_S = 1;

/** The report's options, which without --diagnose would be ignored: collect then prints the facts. */
const REPORT_FLAGS = ['format', 'top', 'lang'] as const;

function checkArgs(args: CollectArgs): void {
  for (const flag of REPORT_FLAGS) {
    if (args[flag] !== undefined && !args.diagnose) throw new UsageError(`--${flag}: expected --diagnose beside it (collect alone prints the facts as JSON), got no --diagnose`);
  }
  checkReportArgs(args);
  // Below TCP's initial retransmission timeout (1 s, RFC 6298) a path that drops one SYN, or a far
  // server, reads as tcp.connect=timeout, evidence of a firewall drop; and the /proc samples, half
  // the bound apart, would span a clock tick or two (0.001 gave proc.top_cpu_pct 2000).
  if (!(Number.isFinite(args.timeout) && args.timeout >= MIN_TIMEOUT_S && args.timeout <= 600)) throw new UsageError(`--timeout: expected seconds from ${MIN_TIMEOUT_S} to 600, got ${String(args.timeout)}`);
  if (args.pid !== undefined && !(Number.isInteger(args.pid) && args.pid > 0)) throw new UsageError(`--pid: expected a process id (a whole number >= 1), got ${String(args.pid)}`);
  if (args.host !== undefined && (args.host === '' || args.host.length > 255)) throw new UsageError('--host: expected a host name or IP address of at most 255 characters');
  for (const server of args.dnsServer ?? []) checkDnsServer(server);
}

/** An IPv4 address with a port, or an IPv6 one in brackets with or without one. */
const SERVER_WITH_PORT = /^(?:([^:[\]]+)|\[([^\]]+)\])(?::(\d{1,5}))?$/;

/**
 * --dns-server IP[:PORT], checked before Node's resolver is given it: it throws on a value that
 * is no address, and aborts the whole process on port 0 (a failed assertion in its C++). An
 * address alone is taken as it is: unbracketed, every colon is an IPv6 address's.
 */
function checkDnsServer(server: string): void {
  if (isIP(server) !== 0) return;
  const [, v4, v6, port] = SERVER_WITH_PORT.exec(server) ?? [];
  const addressOk = v4 === undefined ? v6 !== undefined && isIP(v6) === 6 : isIP(v4) === 4;
  const portOk = port === undefined || (Number(port) >= 1 && Number(port) <= 65535);
  if (!addressOk || !portOk) throw new UsageError(`--dns-server: expected a resolver's IP address, with a port from 1 to 65535 after it if not 53 (127.0.0.1:5353, [::1]:5353), got ${JSON.stringify(server)}`);
}

/** Bigger than any CA bundle (a system one is about 220 KB); refused unread. */
const MAX_CA_BYTES = 4 * 1024 * 1024;
const PEM_BEGIN = '-----BEGIN CERTIFICATE-----';
const PEM_END = '-----END CERTIFICATE-----';

/** --ca FILE: PEM certificates, each checked to parse, so a wrong file is named now rather than failing every handshake. */
function readCa(file: string): string {
  const problem = (got: string) => new InputError([{ field: '--ca', expected: 'a readable PEM file of CA certificates (-----BEGIN CERTIFICATE-----)', got: `${file}: ${got}` }]);
  let text: string;
  try {
    const info = statSync(file);
    // A device (/dev/zero) or a pipe may never end: only a file's size is known before reading it.
    if (!info.isFile()) throw problem(`${kindOf(info)}, not a regular file`);
    const { size } = info;
    if (size > MAX_CA_BYTES) throw problem(`${size} bytes, more than ${MAX_CA_BYTES}`);
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw problem(fileErrorText(error));
  }
  let count = 0;
  for (let begin = text.indexOf(PEM_BEGIN); begin >= 0; begin = text.indexOf(PEM_BEGIN, begin + PEM_BEGIN.length)) {
    const end = text.indexOf(PEM_END, begin);
    if (end < 0) throw problem(`certificate ${count + 1} has no ${PEM_END} line`);
    try {
      new X509Certificate(text.slice(begin, end + PEM_END.length));
    } catch {
      throw problem(`certificate ${count + 1} does not parse`);
    }
    count++;
  }
  if (count === 0) throw problem('no certificate in it');
  return text;
}

/** On a terminal, one line per probe as it ends, cut to the width; elsewhere stderr carries only what was skipped. */
function progress(io: CliIo): ((probe: string, outcome: ProbeOutcome) => void) | undefined {
  if (!io.stderr.isTTY) return undefined;
  const width = Math.max(40, (io.stderr as { columns?: number }).columns ?? 100);
  return (probe, outcome) => {
    const shown = Object.entries(outcome.facts).map(([name, value]) => `${name}=${String(value)}`);
    // Collected values (a process's title) may hold escape sequences: shown, never sent.
    const line = visible(`  ${probe.padEnd(5)} ${shown.length > 0 ? shown.join(' ') : 'skipped'}`);
    io.stderr.write(`${line.length > width ? `${line.slice(0, width - 1)}…` : line}\n`);
  };
}

export default defineCommand<CollectArgs>({
  builder: (y) =>
    y
      .option('host', { type: 'string', describe: 'Host name or IP address to probe [default: the --url host]' })
      .option('port', { type: 'number', describe: 'TCP port [default: the --url port]' })
      .option('url', { type: 'string', describe: 'http:// or https:// URL to request (its host is sent as Host and SNI)' })
      .option('pid', { type: 'number', describe: "The application's main pid: its role, CPU and open descriptors" })
      .option('timeout', { type: 'number', default: 5, describe: 'Bound of each probe, in seconds (1 to 600)' })
      .option('diagnose', { type: 'boolean', describe: 'Diagnose the collected facts and print the report instead, as rca diagnose does' })
      .option('format', { ...reportOptions.format, describe: 'With --diagnose: report format [default: text]' })
      .option('top', { ...reportOptions.top, describe: `With --diagnose: ${reportOptions.top.describe.toLowerCase()}` })
      .option('lang', { ...reportOptions.lang, describe: 'With --diagnose: language of texts: en, zh-CN [default: en]' })
      .option('dns-server', { type: 'string', array: true, describe: 'Ask this resolver (IP[:PORT]) instead of the system\'s, like dig @server' })
      .option('host-facts', { type: 'boolean', describe: 'Read /proc facts about this machine [default: when the target is this machine or --pid is given]' })
      .option('ca', { type: 'string', describe: 'Verify TLS against the CA certificates in this PEM file instead of the system bundle (curl --cacert)' })
      .option('insecure', { type: 'boolean', describe: 'Request the --url even when its certificate fails verification (curl -k); the tls facts still say it failed' })
      .option('kb', kbOption)
      .option('redact', redactOption),
  async run(args, io) {
    checkArgs(args);
    const ca = args.ca === undefined ? undefined : readCa(args.ca);
    const kb = args.diagnose ? loadKb({ kb: args.kb }, io.env) : undefined;
    const onProbe = progress(io);
    const result = await collect({
      // An internationalised name in punycode, as the URL's host is (and --target's): what DNS and the certificate hold.
      host: args.host === undefined ? undefined : asciiHost(args.host, 'target.host', args.host),
      port: args.port,
      url: args.url,
      pid: args.pid,
      timeoutMs: args.timeout * 1000,
      dnsServers: args.dnsServer,
      hostFacts: args.hostFacts,
      processNaming: processNaming(args.redact),
      ...(ca !== undefined && { ca }),
      insecure: args.insecure === true,
      path: io.env.PATH,
      ...(onProbe && { onProbe }),
    });
    for (const { probe, reason } of result.skipped) io.stderr.write(`${visible(`rca: collect: skipped ${probe}: ${reason}`)}\n`);
    for (const { probe, note } of result.notes) io.stderr.write(`${visible(`rca: collect: note: ${probe}: ${note}`)}\n`);
    if (kb) {
      const diagnosis = await diagnose(kb, result.facts, { lang: args.lang ?? 'en', ...(args.top !== undefined && { top: args.top }) });
      io.stdout.write(renderReport(diagnosis, args.format ?? 'text', { color: useColor(io) }));
      return 0;
    }
    // Only {facts} on stdout, so the output pipes straight into `rca diagnose -`.
    io.stdout.write(`${JSON.stringify({ facts: result.facts } satisfies DiagnoseRequest, null, 2)}\n`);
    return 0;
  },
});
