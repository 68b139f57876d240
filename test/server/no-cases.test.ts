import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { validator } from '../../src/core/schemas.js';
import { call, startRca } from '../cases/helpers.js';
import { runCli } from '../cli/run.js';
import { listeningServer, rawExchange, TOKEN } from './helpers.js';
import { stopServes, type RunningServe } from './serve-run.js';

const running: RunningServe[] = [];
afterEach(() => stopServes(running));

/** A stall bound for a test that starts rca serve: seconds on a busy machine, over 20 s on a loaded one. */
const SERVE_STALL_MS = 90_000;

const CASES_OFF = {
  type: 'https://rca.local/problems/cases-off',
  title: 'This server keeps no cases',
  status: 404,
  detail: 'cases are off: the server runs with --no-cases and opens no case store; POST /v1/diagnose and /v1/interview/next answer without one',
};
const CASE = { source: 'jira', externalId: 'OPS-1', facts: { 'ping.result': 'fail', 'tcp.connect': 'ok' } };
const FACTS = { 'ping.result': 'fail', 'tcp.connect': 'ok' };
const KB = { version: '1.0.0', hash: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) };

/** Paths under a new temporary directory that nothing made: a server that opened a store there would make them. */
function pathsNotMade(): { dataDir: string; dataHome: string } {
  const parent = mkdtempSync(join(tmpdir(), 'rca-no-cases-'));
  return { dataDir: join(parent, 'data-dir'), dataHome: join(parent, 'xdg-data-home') };
}

/** Every request a case route takes, each method of each case path (and one it does not take). */
const CASE_REQUESTS: Array<[string, string, unknown?]> = [
  ['POST', '/v1/cases', CASE],
  ['GET', '/v1/cases'],
  ['GET', '/v1/cases?status=open'],
  ['GET', '/v1/stats'],
  ['GET', '/v1/cases/c1'],
  ['PATCH', '/v1/cases/c1', { facts: { 'tcp.connect': 'fail' } }],
  ['PUT', '/v1/cases/c1/outcome', { cause: 'network.icmp_filtered' }],
  ['DELETE', '/v1/cases/c1'],
  ['PUT', '/v1/cases'],
];

describe('rca serve --no-cases: diagnoses and interviews without a case store', () => {
  it.each([
    ['--no-cases', ['--no-cases'], {}],
    ['RCA_CASES=0', [], { RCA_CASES: '0' }],
  ])('with %s it opens no store (RCA_DATA_DIR and XDG_DATA_HOME are left unmade), diagnoses, is ready with the store off, and answers every case route 404 cases-off', async (_name, args, env) => {
    const { dataDir, dataHome } = pathsNotMade();
    const server = await startRca(args, { env: { ...env, RCA_DATA_DIR: dataDir, XDG_DATA_HOME: dataHome } });
    running.push(server);
    expect(server.stderr()).toMatch(/^rca: serving interview-fixture 1\.0\.0 on http:\/\/127\.0\.0\.1:\d+ \(no tokens: loopback only; no cases: diagnoses and interviews only\)\n$/);

    const diagnosis = await call(server.base, 'POST', '/v1/diagnose', { facts: FACTS });
    expect([diagnosis.status, (diagnosis.body.hypotheses as Array<{ id: string }>)[0]?.id]).toEqual([200, 'network.icmp_filtered']);
    const step = await call(server.base, 'POST', '/v1/interview/next', { facts: FACTS });
    expect([step.status, typeof step.body.done]).toEqual([200, 'boolean']);

    const ready = await call(server.base, 'GET', '/readyz');
    expect([ready.status, ready.body]).toEqual([200, { status: 'ready', kb: KB, store: { status: 'off' } }]);
    expect(validator('readiness.schema.json')(ready.body)).toBe(true);
    expect(await call(server.base, 'GET', '/healthz')).toEqual({ status: 200, body: { status: 'ok' } });

    for (const [method, path, body] of CASE_REQUESTS) {
      const answer = await fetch(`${server.base}${path}`, { method, ...(body !== undefined && { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) });
      expect([answer.status, answer.headers.get('content-type')], `${method} ${path}`).toEqual([404, 'application/problem+json; charset=utf-8']);
      expect(await answer.json(), `${method} ${path}`).toEqual({ ...CASES_OFF, instance: path.split('?')[0], requestId: answer.headers.get('x-request-id') });
    }

    server.signal('SIGINT');
    expect(await server.exited).toBe(0);
    expect([existsSync(dataDir), existsSync(dataHome)]).toEqual([false, false]);
  }, SERVE_STALL_MS);

  it('starts without HOME, XDG_DATA_HOME or RCA_DATA_DIR, which a server that keeps cases needs to find its store', async () => {
    expect((await runCli(['serve', '--port', '0'])).stderr).toBe('rca: usage error: --data-dir: expected a directory for the case database (or RCA_DATA_DIR, XDG_DATA_HOME or HOME set), got none\nRun \'rca serve --help\' for usage.\n');
    const server = await startRca(['--no-cases']);
    running.push(server);
    expect((await call(server.base, 'GET', '/readyz')).body.store).toEqual({ status: 'off' });
  }, SERVE_STALL_MS);

  it('refuses, exit 2, a store option given with --no-cases (or RCA_CASES=0), naming both, and an RCA_CASES other than 0 or 1', async () => {
    const { dataDir } = pathsNotMade();
    const refusals: Array<[string[], Record<string, string>, string]> = [
      [['--no-cases', '--data-dir', dataDir], {}, '--no-cases: expected none of --data-dir, --database-url, --deleted-retention, --history-limit with it (a server without cases opens no case store), got --data-dir'],
      [['--database-url', 'postgres://rca:secret@127.0.0.1:1/cases', '--no-cases'], {}, '--no-cases: expected none of --data-dir, --database-url, --deleted-retention, --history-limit with it (a server without cases opens no case store), got --database-url'],
      [['--data-dir', dataDir, '--deleted-retention', '7'], { RCA_CASES: '0' }, 'RCA_CASES=0: expected none of --data-dir, --database-url, --deleted-retention, --history-limit with it (a server without cases opens no case store), got --data-dir and --deleted-retention'],
      [['--no-cases', '--history-limit', '5'], {}, '--no-cases: expected none of --data-dir, --database-url, --deleted-retention, --history-limit with it (a server without cases opens no case store), got --history-limit'],
      [[], { RCA_CASES: 'no' }, '--cases (or RCA_CASES): expected RCA_CASES=1 (keep cases) or 0 (keep none, as --no-cases), got "no"'],
    ];
    for (const [args, env, message] of refusals) {
      const run = await runCli(['serve', '--port', '0', ...args], { env });
      expect([run.code, run.stdout, run.stderr], args.join(' ')).toEqual([2, '', `rca: usage error: ${message}\nRun 'rca serve --help' for usage.\n`]);
    }
    expect(existsSync(dataDir)).toBe(false);
  });

  it('keeps cases with --cases over RCA_CASES=0 (a flag wins over its variable), and by default', async () => {
    const { dataHome } = pathsNotMade();
    for (const [args, env] of [[['--cases'], { RCA_CASES: '0' }], [[], { RCA_CASES: '' }]] as const) {
      // A server that keeps cases looks for its store: without anywhere to keep it, it says so.
      const run = await runCli(['serve', '--port', '0', ...args], { env });
      expect([run.code, run.stderr], JSON.stringify(env)).toEqual([2, "rca: usage error: --data-dir: expected a directory for the case database (or RCA_DATA_DIR, XDG_DATA_HOME or HOME set), got none\nRun 'rca serve --help' for usage.\n"]);
    }
    expect(existsSync(dataHome)).toBe(false);
  });

  it('documents --no-cases in rca serve --help', async () => {
    const run = await runCli(['serve', '--help']);
    expect(run.stdout.replace(/\s+/g, ' ')).toContain(
      '--cases Keep cases (/v1/cases, /v1/stats) in a case store, opened at start; --no-cases serves diagnoses and interviews only, opening no store, and refuses --data-dir, --database-url, --deleted-retention and --history-limit [env RCA_CASES=0 or 1, default on] [boolean]',
    );
  });
});

describe('a server without a case store', () => {
  let app: FastifyInstance;
  let port: number;
  // A stall bound: building a server takes well under a second, but a cold worker on a busy machine took over 10 s.
  beforeAll(async () => {
    ({ app, port } = await listeningServer({ tokens: [TOKEN] }));
  }, 60_000);
  afterAll(() => app.close());
  const bearer = { authorization: `Bearer ${TOKEN}` };

  it('decides authentication on a case route first: 401 without a token, 404 cases-off with one; a path it never serves stays not-found', async () => {
    for (const [method, path, body] of CASE_REQUESTS) {
      const refused = await app.inject({ method: method as 'GET', url: path, ...(body !== undefined && { payload: body as object }) });
      expect([refused.statusCode, refused.json().type, refused.headers['www-authenticate']], `${method} ${path}`).toEqual([401, 'https://rca.local/problems/unauthorized', 'Bearer realm="rca"']);
      const off = await app.inject({ method: method as 'GET', url: path, headers: bearer, ...(body !== undefined && { payload: body as object }) });
      expect([off.statusCode, off.json()], `${method} ${path}`).toEqual([404, { ...CASES_OFF, instance: path.split('?')[0], requestId: off.headers['x-request-id'] }]);
    }
    // HEAD, which comes with every GET, too (its answer has no body).
    const head = await app.inject({ method: 'HEAD', url: '/v1/cases', headers: bearer });
    expect([head.statusCode, head.headers['content-type'], head.body]).toEqual([404, 'application/problem+json; charset=utf-8', '']);
    expect((await app.inject({ method: 'GET', url: '/v1/casework', headers: bearer })).json()).toMatchObject({ type: 'https://rca.local/problems/not-found', detail: 'no route GET /v1/casework' });
  });

  it('answers before any body is read: a bad body, a query the route would refuse or an Accept it would not serve is still cases-off, and 100 Continue is never sent', async () => {
    const badBody = await app.inject({ method: 'POST', url: '/v1/cases', headers: { ...bearer, 'content-type': 'application/json' }, payload: '{not json' });
    const badQuery = await app.inject({ method: 'GET', url: '/v1/cases?nonsense=1', headers: bearer });
    const badAccept = await app.inject({ method: 'GET', url: '/v1/stats', headers: { ...bearer, accept: 'text/html' } });
    for (const answer of [badBody, badQuery, badAccept]) expect([answer.statusCode, answer.json().type]).toEqual([404, CASES_OFF.type]);
    const raw = await rawExchange(port, `POST /v1/cases HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n`);
    expect(raw).toMatch(/^HTTP\/1\.1 404 Not Found\r\n/);
    expect(raw).not.toContain('100 Continue');
    expect(raw).toContain('"type":"https://rca.local/problems/cases-off"');
  });

  it('is ready with its store off, and leaves the case routes out of its OpenAPI document', async () => {
    expect((await app.inject({ method: 'GET', url: '/readyz' })).json()).toEqual({ status: 'ready', kb: KB, store: { status: 'off' } });
    const { paths } = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(Object.keys(paths).filter((path) => path.startsWith('/v1/cases') || path === '/v1/stats')).toEqual([]);
  });
});
