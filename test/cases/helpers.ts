import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { parseArtifact } from '../../src/collect/parsers/index.js';
import { CaseService, type CaseServiceOptions } from '../../src/cases/service.js';
import { packageRoot } from '../../src/core/paths.js';
import type { ServerOptions } from '../../src/server/app.js';
import { openStore } from '../../src/store/open.js';
import { FIXTURE_KB, testServer } from '../server/helpers.js';
import { startServe, type RunningServe } from '../server/serve-run.js';
import type { StoreKind } from '../store/stores.js';

export const ACME = 'acme:acme-token-0123456789abcdef';
export const GLOBEX = 'globex:globex-token-0123456789abcdef';
export const bearer = (entry: string) => ({ authorization: `Bearer ${entry.slice(entry.indexOf(':') + 1)}` });

/** ping output that parses to ping.result partial_loss (an artifact every test can add). */
export const PING_ARTIFACT = { kind: 'ping' as const, text: readFileSync(join(packageRoot, 'test', 'fixtures', 'artifacts', 'ping', 'linux-partial-loss.txt'), 'utf8') };

/** A test server (fixture KB, no logs) answering /v1/cases from a fresh database of the kind, kept as `options` say. */
export async function caseServer(kind: StoreKind, overrides: Partial<ServerOptions> = {}, options: CaseServiceOptions = {}): Promise<{ app: FastifyInstance; close: () => Promise<void> }> {
  const { db } = await openStore(await kind.settings());
  const cases = new CaseService(db, parseArtifact, options);
  const app = await testServer({ cases: async () => cases, ...overrides });
  return {
    app,
    close: async () => {
      await app.close();
      await db.close();
    },
  };
}

/**
 * `rca serve` on 127.0.0.1 at a free port (fixture KB, warnings only in its log), once it says
 * it serves: in-process, or in its own process when `spawned` (see startServe).
 */
export function startRca(args: string[], options: { env?: Record<string, string>; spawned?: boolean } = {}): Promise<RunningServe> {
  return startServe(['--host', '127.0.0.1', '--port', '0', '--kb', FIXTURE_KB, '--log-level', 'warn', '--rate-limit', '0', ...args], options);
}

/** A JSON request to a running server; the answer's status and parsed body. */
export async function call(base: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const answer = await fetch(`${base}${path}`, { method, ...(body !== undefined && { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) });
  return { status: answer.status, body: (await answer.json()) as Record<string, unknown> };
}
