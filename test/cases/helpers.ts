import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { parseArtifact } from '../../src/collect/parsers/index.js';
import { CaseService } from '../../src/cases/service.js';
import { packageRoot } from '../../src/core/paths.js';
import type { ServerOptions } from '../../src/server/app.js';
import { openStore } from '../../src/store/open.js';
import { spawnBin } from '../cli/run.js';
import { FIXTURE_KB, testServer } from '../server/helpers.js';
import type { StoreKind } from '../store/stores.js';

export const ACME = 'acme:acme-token-0123456789abcdef';
export const GLOBEX = 'globex:globex-token-0123456789abcdef';
export const bearer = (entry: string) => ({ authorization: `Bearer ${entry.slice(entry.indexOf(':') + 1)}` });

/** ping output that parses to ping.result partial_loss (an artifact every test can add). */
export const PING_ARTIFACT = { kind: 'ping' as const, text: readFileSync(join(packageRoot, 'test', 'fixtures', 'artifacts', 'ping', 'linux-partial-loss.txt'), 'utf8') };

/** A test server (fixture KB, no logs) answering /v1/cases from a fresh database of the kind. */
export async function caseServer(kind: StoreKind, overrides: Partial<ServerOptions> = {}): Promise<{ app: FastifyInstance; close: () => Promise<void> }> {
  const { db } = await openStore(await kind.settings());
  const cases = new CaseService(db, parseArtifact);
  const app = await testServer({ cases: async () => cases, ...overrides });
  return {
    app,
    close: async () => {
      await app.close();
      await db.close();
    },
  };
}

export interface RunningServer {
  base: string;
  child: ChildProcessWithoutNullStreams;
  exited: Promise<number | null>;
  stderr: () => string;
}

/** A real `rca serve` on 127.0.0.1 at a free port (fixture KB, warnings only in its log), once it says it serves. */
export function startRca(args: string[], env: Record<string, string> = {}): Promise<RunningServer> {
  const child = spawnBin(['serve', '--host', '127.0.0.1', '--port', '0', '--kb', FIXTURE_KB, '--log-level', 'warn', '--rate-limit', '0', ...args], env);
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`rca serve did not start within 60 s: ${stderr}`)), 60_000);
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      const base = /^rca: serving .* on (http:\/\/127\.0\.0\.1:\d+)/m.exec(stderr)?.[1];
      if (base) {
        clearTimeout(timer);
        resolve({ base, child, exited, stderr: () => stderr });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`rca serve exited ${code}: ${stderr}`));
    });
  });
}

/** A JSON request to a running server; the answer's status and parsed body. */
export async function call(base: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const answer = await fetch(`${base}${path}`, { method, ...(body !== undefined && { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) });
  return { status: answer.status, body: (await answer.json()) as Record<string, unknown> };
}
