import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
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

/** A test server listening on 127.0.0.1 on a free port, for tests that speak raw HTTP to it. */
export async function listeningServer(overrides: Partial<ServerOptions> = {}): Promise<{ app: FastifyInstance; port: number }> {
  const app = await testServer(overrides);
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, port: (app.server.address() as AddressInfo).port };
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

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Parses the first HTTP/1.1 response in `text` (Content-Length framed, as the server sends). */
export function parseRawResponse(text: string): RawResponse {
  const end = text.indexOf('\r\n\r\n');
  const [statusLine = '', ...lines] = text.slice(0, end).split('\r\n');
  const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
  const length = Number(headers['content-length'] ?? text.length);
  return { status: Number(statusLine.split(' ')[1]), headers, body: text.slice(end + 4, end + 4 + length) };
}

/**
 * Sends `request` byte for byte on a new connection to 127.0.0.1 and resolves with everything
 * the server wrote until it closed the connection (or `timeoutMs` passed). Unlike fetch or
 * inject, nothing normalises the request line: encoded paths and absolute-form targets reach
 * the server as written.
 */
export function rawExchange(port: number, request: string, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no close within ${timeoutMs} ms; got ${JSON.stringify(received)}`));
    }, timeoutMs);
    socket.on('data', (d: Buffer) => (received += d.toString('latin1')));
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(received);
    });
    socket.write(request);
  });
}

/** One request with `Connection: close` over a raw socket; see rawExchange. */
export async function rawRequest(port: number, method: string, target: string, headers: Record<string, string> = {}, body = ''): Promise<RawResponse> {
  const head = Object.entries({ host: '127.0.0.1', connection: 'close', ...(body && { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) }), ...headers })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  return parseRawResponse(await rawExchange(port, `${method} ${target} HTTP/1.1\r\n${head}\r\n${body}`));
}

/** HTTP's own headers, about the message and its connection, which OpenAPI leaves out of an answer's `headers` (rca declares every other one it sends). */
const HTTP_OWN_HEADERS = new Set(['content-type', 'content-length', 'content-encoding', 'vary', 'date', 'connection', 'keep-alive', 'transfer-encoding']);

interface OpenApiDocument {
  paths: Record<string, Record<string, { responses: Record<string, { headers?: Record<string, unknown> }> }>>;
}

/**
 * Holds answers against the headers /openapi.json declares for their operation and status: every
 * header an answer sends (but HTTP's own) is declared there, and every header declared there is sent
 * by one of the answers recorded for that operation and status.
 */
export class HeaderAudit {
  private readonly sent = new Map<string, { method: string; path: string; status: string; headers: Set<string> }>();

  constructor(private readonly doc: OpenApiDocument) {}

  /** Records the headers of an answer of operation METHOD PATH (as the document names it: /v1/cases/{id}). */
  record(method: string, path: string, answer: { statusCode: number; headers: Record<string, unknown> }): void {
    const status = String(answer.statusCode);
    const key = `${method.toLowerCase()} ${path} ${status}`;
    const entry = this.sent.get(key) ?? { method: method.toLowerCase(), path, status, headers: new Set<string>() };
    for (const name of Object.keys(answer.headers)) if (!HTTP_OWN_HEADERS.has(name.toLowerCase())) entry.headers.add(name.toLowerCase());
    this.sent.set(key, entry);
  }

  /** The answers recorded, as "method path status". */
  answers(): string[] {
    return [...this.sent.keys()].sort();
  }

  /** What the answers and the document disagree on: a header sent but not declared, or declared but never sent. */
  mismatches(): string[] {
    return [...this.sent.entries()].flatMap(([key, { method, path, status, headers }]) => {
      const response = this.doc.paths[path]?.[method]?.responses[status];
      if (!response) return [`${key}: no such answer documented`];
      const declared = new Set(Object.keys(response.headers ?? {}).map((name) => name.toLowerCase()));
      return [...[...headers].filter((h) => !declared.has(h)).map((h) => `${key}: ${h} sent, not declared`), ...[...declared].filter((h) => !headers.has(h)).map((h) => `${key}: ${h} declared, never sent`)];
    });
  }
}
