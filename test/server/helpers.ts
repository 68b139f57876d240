import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildServer, DEFAULT_BODY_LIMIT, type ServerOptions } from '../../src/server/app.js';
import { KbHolder } from '../../src/server/kb-holder.js';
import { DEFAULT_RESPONSE_CACHE } from '../../src/server/response-cache.js';
import { sealKnowledgeBase } from '../../src/core/kb.js';
import { packageRoot } from '../../src/core/paths.js';

export const FIXTURE_KB = join(packageRoot, 'test', 'fixtures', 'interview-kb');
export const TOKEN = 'test-token-0123456789abcdef';

/** A copy of the (sealed) fixture KB in a temporary directory, to edit, seal and reload. */
export function editableKb() {
  const dir = mkdtempSync(join(tmpdir(), 'rca-kb-'));
  cpSync(FIXTURE_KB, dir, { recursive: true });
  const file = join(dir, 'kb.yaml');
  const original = readFileSync(file, 'utf8');
  const write = (edit: (text: string) => string) => writeFileSync(file, edit(original));
  return {
    dir,
    /** Writes the fixture's text with `edit` applied (unsealed: the KB no longer matches its lock until `seal`). */
    write,
    /** Seals the directory as `rca kb seal` does (throws KbError when it does not validate). */
    seal: () => sealKnowledgeBase(dir),
    /** Writes the fixture with rule icmp_only's cf for network.icmp_filtered (0.8 in the fixture) changed. */
    setIcmpFilteredCf: (cf: number) => write((text) => text.replace('cf: 0.8}, {hypothesis: network.packet_loss', `cf: ${cf}}, {hypothesis: network.packet_loss`)),
  };
}

export function testServer(overrides: Partial<ServerOptions> = {}) {
  return buildServer({
    kb: new KbHolder([FIXTURE_KB]),
    tokens: [],
    bodyLimit: DEFAULT_BODY_LIMIT,
    rateLimitPerMinute: 0,
    responseCache: DEFAULT_RESPONSE_CACHE,
    logger: false,
    version: '0.0.0-test',
    ...overrides,
  });
}

/** Asserts an RFC 9457 problem body with rca's stable fields. */
export function isProblem(body: Record<string, unknown>, status: number): boolean {
  return (
    typeof body.type === 'string' &&
    (body.type as string).startsWith('https://rca.local/problems/') &&
    typeof body.title === 'string' &&
    body.status === status &&
    typeof body.detail === 'string' &&
    typeof body.instance === 'string' &&
    typeof body.requestId === 'string'
  );
}
