import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { ETAG } from './headers.js';

/** The weak entity tag of an answer's bytes: weak, because a gzipped and a plain answer carry the same one. */
function weakEtag(payload: string | Buffer): string {
  return `W/"${createHash('sha256').update(payload).digest('base64url')}"`;
}

/** Whether an If-None-Match header matches `etag` (RFC 9110 13.1.2: `*`, or a list compared weakly). */
export function ifNoneMatchHits(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  const opaque = etag.replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === opaque);
}

/**
 * Tags every 200 answer to a GET (or HEAD) with a weak ETag of its bytes, and turns it into
 * a bodiless 304 when the client already holds those bytes. Not @fastify/etag: it tags and
 * answers 304 to every method and status (a POST, a 401), and compares If-None-Match only
 * as one whole string (no lists, no `*`). Added before the compression's per-route hook runs,
 * so the tag is of the uncompressed answer.
 */
export function conditionalGets(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if ((request.method !== 'GET' && request.method !== 'HEAD') || reply.statusCode !== 200) return payload;
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
    // A route that tags its answer itself (a case, by its version) keeps its tag.
    const own = reply.getHeader(ETAG.name);
    const etag = typeof own === 'string' ? own : weakEtag(payload);
    reply.header(ETAG.name, etag);
    if (!ifNoneMatchHits(request.headers['if-none-match'], etag)) return payload;
    // No body, so no Content-Type; and no Content-Length (RFC 9110 8.6: a 304's could only be the
    // 200's), which fastify adds to no null payload of a 304. A HEAD's own hook (fastify's
    // head-route) runs after this one and reads the payload: it sizes a string as Content-Length
    // and breaks on null, but drains a stream and adds nothing, so a HEAD gets an empty one.
    reply.code(304).removeHeader('content-type');
    return request.method === 'HEAD' ? Readable.from([]) : null;
  });
}
