import { readFileSync } from 'node:fs';
import { formatKbProblem, InputError, KbError, UsageError } from '../../core/errors.js';
import { packageRoot } from '../../core/paths.js';
import { isLoopback, MIN_TOKEN_LENGTH, parseApiToken, parseTokens, TENANT_NAME } from '../../server/auth.js';
import { DEFAULT_RESPONSE_CACHE } from '../../server/response-cache.js';
import { DEFAULT_TIMEOUTS, SHUTDOWN_FINISH_MS } from '../../server/connections.js';
import { defineCommand } from '../command.js';
import type { CliIo } from '../io.js';
import { secondsSetting, wholeNumberSetting } from '../env-number.js';
import { cliReadOptions, kbDirs, kbOption, minStatusOption } from '../kb-option.js';
import { deletedRetentionFrom, retentionOption, storeFrom, storeOptions, type StoreArgs } from '../store-option.js';
import { DEFAULT_HISTORY_LIMIT, MAX_HISTORY_LIMIT, MIN_HISTORY_LIMIT } from '../../cases/history.js';
import type { StoreSettings } from '../../store/open.js';
import type { FastifyBaseLogger } from 'fastify';
import type { RuleStatus } from '../../core/kb.js';
import { fileErrorText } from '../../core/files.js';
import { counted } from '../../core/counted.js';

interface ServeArgs extends StoreArgs {
  host?: string;
  port?: number;
  kb?: string[];
  minStatus?: RuleStatus;
  tokensFile?: string;
  bodyLimit?: number;
  rateLimit?: number;
  cacheSize?: number;
  headersTimeout?: number;
  requestTimeout?: number;
  drainSeconds?: number;
  deletedRetention?: number;
  historyLimit?: number;
  logLevel?: string;
  cases?: boolean;
}

/**
 * Seconds a server drains on SIGTERM (/readyz 503, every other route serving) before it stops
 * listening. Kubernetes takes a terminating pod out of its endpoints at once, but kube-proxy,
 * ingress controllers and cloud load balancers act on that (or on the failing probe) seconds
 * later, and send requests meanwhile: 5 s covers that lag (the common preStop sleep is 5 to 15 s),
 * and with the settling (at most 5 s) and the requests in flight (at most 10 s) the shutdown
 * stays inside Kubernetes' default terminationGracePeriodSeconds of 30, and within `docker
 * stop`'s 10 s when nothing is in flight. A Ctrl-C (SIGINT) does not drain: someone waits at a
 * terminal, and no load balancer sends there.
 */
const DEFAULT_DRAIN_SECONDS = 5;
/**
 * The longest drain taken: longer than any load balancer's probe cycle worth waiting for, and
 * refusing milliseconds given for seconds (5000), as the timeouts are given.
 */
const MAX_DRAIN_SECONDS = 600;

/** RCA_CASES: 1 keeps cases, 0 keeps none (as --no-cases); undefined when unset or empty. */
function casesFromEnv(env: NodeJS.ProcessEnv): boolean | undefined {
  const raw = env.RCA_CASES;
  if (raw === undefined || raw === '') return undefined;
  if (raw === '0' || raw === '1') return raw === '1';
  throw new UsageError(`--cases (or RCA_CASES): expected RCA_CASES=1 (keep cases) or 0 (keep none, as --no-cases), got ${JSON.stringify(raw)}`);
}

/** The options that say where the cases are, how long a deleted one leaves traces and how many diagnoses one keeps: each does nothing on a server that keeps no cases. */
const STORE_FLAGS = [
  ['--data-dir', 'dataDir'],
  ['--database-url', 'databaseUrl'],
  ['--deleted-retention', 'deletedRetention'],
  ['--history-limit', 'historyLimit'],
] as const satisfies ReadonlyArray<readonly [string, keyof ServeArgs]>;

/**
 * Whether the server keeps cases: --cases/--no-cases, else RCA_CASES, else it does. One that keeps
 * none refuses a store option given with it, which would do nothing (as a store command refuses a
 * --deleted-retention it would not use); RCA_DATA_DIR and the other variables, which `rca cases`
 * and `rca db` read from the same environment, are not read at all.
 */
function keepsCases(args: ServeArgs, env: NodeJS.ProcessEnv): boolean {
  if (args.cases ?? casesFromEnv(env) ?? true) return true;
  const given = STORE_FLAGS.filter(([, key]) => args[key] !== undefined).map(([flag]) => flag);
  const off = args.cases === false ? '--no-cases' : 'RCA_CASES=0';
  if (given.length > 0) throw new UsageError(`${off}: expected none of ${STORE_FLAGS.map(([flag]) => flag).join(', ')} with it (a server without cases opens no case store), got ${given.join(' and ')}`);
  return false;
}

/** --history-limit: the diagnoses one case keeps, else RCA_HISTORY_LIMIT, else DEFAULT_HISTORY_LIMIT. */
function historyLimitFrom(flag: number | undefined, env: NodeJS.ProcessEnv): number {
  return wholeNumberSetting('--history-limit', flag, env, 'RCA_HISTORY_LIMIT', DEFAULT_HISTORY_LIMIT, {
    min: MIN_HISTORY_LIMIT,
    max: MAX_HISTORY_LIMIT,
    expected: `a whole number of diagnoses from ${MIN_HISTORY_LIMIT} (the first and the latest) to ${MAX_HISTORY_LIMIT}`,
  });
}

/** Flags win over RCA_* environment variables, which win over defaults. */
function settings(args: ServeArgs, env: NodeJS.ProcessEnv) {
  const number = (flag: string, value: number | undefined, envName: string, fallback: number) => wholeNumberSetting(flag, value, env, envName, fallback);
  const port = number('--port', args.port, 'RCA_PORT', 8080);
  if (port > 65535) throw new UsageError(`--port (or RCA_PORT): expected 0..65535, got ${port}`);
  const headersMs = number('--headers-timeout', args.headersTimeout, 'RCA_HEADERS_TIMEOUT', DEFAULT_TIMEOUTS.headersMs);
  const requestMs = number('--request-timeout', args.requestTimeout, 'RCA_REQUEST_TIMEOUT', DEFAULT_TIMEOUTS.requestMs);
  if (headersMs < 1) throw new UsageError(`--headers-timeout (or RCA_HEADERS_TIMEOUT): expected at least 1 ms, got ${headersMs}`);
  if (requestMs < headersMs) throw new UsageError(`--request-timeout (or RCA_REQUEST_TIMEOUT): expected at least the headers timeout (${headersMs} ms), got ${requestMs}`);
  const cases = keepsCases(args, env);
  return {
    // "[::1]" as in a URL is the address ::1.
    host: (args.host ?? env.RCA_HOST ?? '127.0.0.1').replace(/^\[(.*)\]$/, '$1'),
    port,
    kbDirs: kbDirs(args.kb, env),
    tokensFile: args.tokensFile ?? env.RCA_TOKENS_FILE,
    bodyLimit: number('--body-limit', args.bodyLimit, 'RCA_BODY_LIMIT', 256 * 1024),
    rateLimit: number('--rate-limit', args.rateLimit, 'RCA_RATE_LIMIT', 600),
    cacheSize: number('--cache-size', args.cacheSize, 'RCA_CACHE_SIZE', DEFAULT_RESPONSE_CACHE.entries),
    timeouts: { headersMs, requestMs },
    drainSeconds: secondsSetting('--drain-seconds', args.drainSeconds, env, 'RCA_DRAIN_SECONDS', DEFAULT_DRAIN_SECONDS, MAX_DRAIN_SECONDS),
    /** The cases the server keeps (how long a deleted one leaves traces, how many diagnoses one keeps), or undefined: it keeps none. */
    cases: cases ? { deletedRetentionDays: deletedRetentionFrom(args.deletedRetention, env), historyLimit: historyLimitFrom(args.historyLimit, env) } : undefined,
    logLevel: args.logLevel ?? env.RCA_LOG_LEVEL ?? 'info',
  };
}

function loadTokens(file: string | undefined, env: NodeJS.ProcessEnv): string[] {
  // Each token with where it came from, so that an error says which line or item to mend.
  const given: Array<{ token: string; from: string }> = [];
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new InputError([{ field: '--tokens-file', expected: 'a readable file of tokens, one per line', got: `${file}: ${fileErrorText(error)}` }]);
    }
    for (const { token, line } of parseTokens(text)) given.push({ token, from: `${file}:${line}` });
  }
  if (env.RCA_API_TOKENS) {
    const items = env.RCA_API_TOKENS.split(',').map((t) => t.trim());
    items.forEach((token, i) => token && given.push({ token, from: `RCA_API_TOKENS item ${i + 1}` }));
  }
  const entries = given.map(({ token }) => parseApiToken(token));
  const badTenant = entries.findIndex((e) => !TENANT_NAME.test(e.tenant));
  if (badTenant >= 0) throw new InputError([{ field: `token at ${given[badTenant]?.from}`, expected: 'tenant:token with a tenant of 1 to 64 letters, digits, ".", "_" or "-"', got: `a tenant of ${entries[badTenant]?.tenant.length ?? 0} characters, not all of them those` }]);
  const weak = entries.findIndex((e) => e.token.length < MIN_TOKEN_LENGTH);
  if (weak >= 0) throw new InputError([{ field: `token at ${given[weak]?.from}`, expected: `at least ${MIN_TOKEN_LENGTH} characters`, got: counted(entries[weak]?.token.length ?? 0, 'character') }]);
  // One token for two tenants would put every request with it in the last one, silently: its
  // other tenant's client would read and write that tenant's cases. (The token is not shown.)
  const firstOf = new Map<string, number>();
  entries.forEach((e, i) => {
    const first = firstOf.get(e.token);
    if (first === undefined) {
      firstOf.set(e.token, i);
      return;
    }
    const earlier = entries[first] as { tenant: string };
    if (earlier.tenant !== e.tenant) {
      throw new InputError([{ field: `token at ${given[i]?.from}`, expected: 'each token given for one tenant only (a token names whose cases a request sees)', got: `the token of tenant ${earlier.tenant} at ${given[first]?.from} again, for tenant ${e.tenant}` }]);
    }
  });
  return given.map(({ token }) => token);
}

/** Errors of listen() that come from the --host or --port given, not from a bug. */
const LISTEN_MISTAKES: Record<string, (host: string, port: number) => string> = {
  EADDRINUSE: (host, port) => `--port: expected a free port on ${host}, got ${port} (already in use)`,
  EACCES: (host, port) => `--port: expected a port this user may bind on ${host}, got ${port} (permission denied)`,
  EADDRNOTAVAIL: (host) => `--host: expected an address of this machine, got ${host} (EADDRNOTAVAIL)`,
  ENOTFOUND: (host) => `--host: expected an address of this machine, got ${host} (ENOTFOUND)`,
  EAI_AGAIN: (host) => `--host: expected an address of this machine, got ${host} (EAI_AGAIN)`,
};

/** Listens, turning a port in use or an address not of this machine into a usage error. */
async function listen(app: { listen(options: { host: string; port: number }): Promise<string>; close(): Promise<unknown> }, host: string, port: number): Promise<string> {
  try {
    return await app.listen({ host, port });
  } catch (error) {
    const mistake = LISTEN_MISTAKES[(error as NodeJS.ErrnoException).code ?? ''];
    if (!mistake) throw error;
    await app.close();
    throw new UsageError(mistake(host, port));
  }
}

/**
 * The stop signals (SIGTERM, SIGINT): `stopped` resolves with the first one's name, `again` with a
 * second one's, which ends the shutdown at once (a third does no more); `release` removes the
 * listeners, for a server that never started (port in use) as for one that stopped. They stay
 * until then, so that a second signal ends the drain rather than the process, mid-write.
 */
function stopSignals(signals: CliIo['signals']): { stopped: Promise<string>; again: Promise<string>; release: () => void } {
  const received: Array<(signal: string) => void> = [];
  const stopped = new Promise<string>((resolve) => received.push(resolve));
  const again = new Promise<string>((resolve) => received.push(resolve));
  const stop = (signal: string) => received.shift()?.(signal);
  const onTerm = () => stop('SIGTERM');
  const onInt = () => stop('SIGINT');
  signals.on('SIGTERM', onTerm);
  signals.on('SIGINT', onInt);
  const release = () => {
    signals.removeListener('SIGTERM', onTerm);
    signals.removeListener('SIGINT', onInt);
  };
  return { stopped, again, release };
}

/**
 * The case store of a server that keeps cases, its code loaded now (a server without cases pays
 * for none of it). `open` opens it at its first call, making a new embedded one and migrating an
 * older one, and logs where it is: rca serve calls it at start, once it listens, as a new embedded
 * store takes PGlite seconds to make (over ten on a busy machine), which the first case would
 * otherwise wait for, past a ticketing connector's timeout. Meanwhile /v1/diagnose answers,
 * /readyz says the store is still opening, and a case request waits for it. From then on what
 * deletions left past the retention is forgotten, at once and hourly, and each case keeps at most
 * `historyLimit` diagnoses. `close` stops that and closes the store.
 */
async function caseStore(settings: StoreSettings, { deletedRetentionDays, historyLimit }: { deletedRetentionDays: number; historyLimit: number }) {
  const [{ openStore }, { CaseService }, { parseArtifact }, { startCleanup }] = await Promise.all([
    import('../../store/open.js'),
    import('../../cases/service.js'),
    import('../../collect/parsers/index.js'),
    import('../../cases/retention.js'),
  ]);
  let opening: Promise<InstanceType<typeof CaseService>> | undefined;
  let cleanup: ReturnType<typeof startCleanup> | undefined;
  return {
    open: (log: FastifyBaseLogger) =>
      (opening ??= (async () => {
        const { db, migration } = await openStore(settings);
        log.info({ store: migration }, `cases in ${migration.location}, schema version ${migration.to}`);
        if (deletedRetentionDays > 0) {
          cleanup = startCleanup({ cases: () => opening, days: deletedRetentionDays, log });
          void cleanup.run();
        }
        return new CaseService(db, parseArtifact, { historyLimit });
      })()),
    close: async () => {
      await cleanup?.stop();
      await (await opening?.catch(() => undefined))?.db.close();
    },
  };
}

export default defineCommand<ServeArgs>({
  builder: (y) =>
    y
      .option('host', { type: 'string', describe: 'Address to bind [env RCA_HOST, default 127.0.0.1]' })
      .option('port', { type: 'number', describe: 'Port (0 picks a free one) [env RCA_PORT, default 8080]' })
      .option('kb', kbOption)
      .option('min-status', minStatusOption)
      .option('tokens-file', { type: 'string', describe: 'Bearer tokens, one per line [env RCA_TOKENS_FILE; or RCA_API_TOKENS=a,b]' })
      .option('body-limit', { type: 'number', describe: 'Largest request body in bytes [env RCA_BODY_LIMIT, default 262144]' })
      .option('rate-limit', { type: 'number', describe: 'Requests per token per minute, 0 for none [env RCA_RATE_LIMIT, default 600]' })
      .option('cache-size', { type: 'number', describe: `Diagnoses and interview steps kept for identical requests, 0 for none [env RCA_CACHE_SIZE, default ${DEFAULT_RESPONSE_CACHE.entries}]` })
      .option('headers-timeout', { type: 'number', describe: `Most ms from a request's first byte to the end of its headers, else 408 [env RCA_HEADERS_TIMEOUT, default ${DEFAULT_TIMEOUTS.headersMs}]` })
      .option('request-timeout', { type: 'number', describe: `Most ms to receive a whole request, headers and body, else 408 [env RCA_REQUEST_TIMEOUT, default ${DEFAULT_TIMEOUTS.requestMs}]` })
      .option('drain-seconds', { type: 'number', describe: `Seconds to keep serving after SIGTERM, /readyz answering 503, before no longer listening; 0 for none, 0.5 for half a second [env RCA_DRAIN_SECONDS, default ${DEFAULT_DRAIN_SECONDS}, at most ${MAX_DRAIN_SECONDS}]` })
      .option('cases', { type: 'boolean', describe: 'Keep cases (/v1/cases, /v1/stats) in a case store, opened at start; --no-cases serves diagnoses and interviews only, opening no store, and refuses --data-dir, --database-url, --deleted-retention and --history-limit [env RCA_CASES=0 or 1, default on]' })
      .options(storeOptions)
      .options(retentionOption)
      .option('history-limit', {
        type: 'number',
        describe: `Diagnoses one case keeps: the first (the ticket as it opened) and the latest; a change past it forgets the oldest of the others (but the one a resolved case's cause was confirmed on, which /v1/stats judges), and the case counts them (historyForgotten) [env RCA_HISTORY_LIMIT, default ${DEFAULT_HISTORY_LIMIT}, ${MIN_HISTORY_LIMIT} to ${MAX_HISTORY_LIMIT}]`,
      })
      .option('log-level', { type: 'string', choices: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], describe: 'Log level [env RCA_LOG_LEVEL, default info]' })
      .epilogue(
        `Signals: SIGHUP reloads the knowledge base (a broken one is rejected and the old one keeps serving). SIGTERM drains for --drain-seconds: /readyz answers 503 shutting-down so that load balancers take the server out, every other route still serves, and every answer says Connection: close, so keep-alive clients reconnect through the load balancer. Then it stops listening (a new connection is refused), closes idle connections, answers every request already received (for at most ${SHUTDOWN_FINISH_MS / 1000} s), refuses any later one on an open connection with 503 and Retry-After, closes the case store and exits 0. SIGINT (Ctrl-C) does the same without the drain. A second SIGTERM or SIGINT ends it at once, closing every connection.`,
      ),
  async run(args: ServeArgs, io: CliIo) {
    const config = settings(args, io.env);
    const tokens = loadTokens(config.tokensFile, io.env);
    if (tokens.length === 0 && !isLoopback(config.host)) {
      throw new UsageError(`refusing to listen on ${config.host} without API tokens: give --tokens-file or RCA_API_TOKENS, or bind 127.0.0.1`);
    }
    // Loaded here, not at the top: only `rca serve` pays for fastify.
    const [{ buildServer }, { KbHolder }] = await Promise.all([import('../../server/app.js'), import('../../server/kb-holder.js')]);
    const holder = new KbHolder(config.kbDirs, { ...cliReadOptions(), ...(args.minStatus && { minStatus: args.minStatus }) });
    const store = config.cases && (await caseStore(storeFrom(args, io.env), config.cases));
    const version = (JSON.parse(readFileSync(`${packageRoot}/package.json`, 'utf8')) as { version: string }).version;
    const app = await buildServer({
      kb: holder,
      tokens,
      ...(store && { cases: () => store.open(app.log) }),
      bodyLimit: config.bodyLimit,
      rateLimitPerMinute: config.rateLimit,
      responseCache: { ...DEFAULT_RESPONSE_CACHE, entries: config.cacheSize },
      timeouts: config.timeouts,
      // JSON log lines go to the command's stdout, never straight to the process's.
      logger: { level: config.logLevel, stream: io.stdout },
      version,
    });
    // The reload runs in a worker thread: requests keep being answered while it reads and validates.
    const onHangup = () => {
      holder.reload().then(
        (kb) => {
          app.rcaMetrics.setKb(kb);
          app.rcaMetrics.reloads.inc({ result: 'ok' });
          app.log.info({ kb: kb.meta }, 'knowledge base reloaded');
        },
        (error: unknown) => {
          app.rcaMetrics.reloads.inc({ result: 'rejected' });
          const problems = error instanceof KbError ? error.problems : [{ file: '', path: '', message: String(error) }];
          app.log.error({ problems, kept: holder.current.meta }, `knowledge base reload rejected, still serving ${holder.current.meta.hash}: ${problems.map(formatKbProblem).join('; ')}`);
        },
      );
    };
    io.signals.on('SIGHUP', onHangup);
    const { stopped, again, release } = stopSignals(io.signals);
    try {
      const address = await listen(app, config.host, config.port);
      await store?.open(app.log).catch(async (error: unknown) => {
        await app.close();
        throw error;
      });
      const notes = [...(tokens.length === 0 ? ['no tokens: loopback only'] : []), ...(store ? [] : ['no cases: diagnoses and interviews only'])];
      io.stderr.write(`rca: serving ${holder.current.meta.name} ${holder.current.meta.version} on ${address}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}\n`);
      const signal = await stopped;
      // Ctrl-C is someone at a terminal, whom no load balancer sends requests for: no drain.
      const drainSeconds = signal === 'SIGTERM' ? config.drainSeconds : 0;
      app.log.info({ signal, drainSeconds }, drainSeconds > 0 ? `shutting down: draining for ${drainSeconds} s (/readyz answers 503, every other route serves)` : 'shutting down');
      await app.rcaShutdown({ drainMs: drainSeconds * 1000, now: again });
    } finally {
      io.signals.removeListener('SIGHUP', onHangup);
      release();
      await store?.close();
    }
    return 0;
  },
});
