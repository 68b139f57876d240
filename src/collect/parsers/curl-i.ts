import type { Facts } from '../../generated/facts.js';
import { notRecognised, type ArtifactParser, type ParsedFacts } from './types.js';
import { artifactLines } from './text.js';

type ErrorSource = NonNullable<Facts['http.error_source']>;

const EXPECTED = 'output of `curl -sS -i URL` (the status line, the response headers, then the start of the body): HTTP/1.1 503 Service Unavailable';

/** A response's status line, as curl -i prints it: "HTTP/1.1 503 Service Unavailable", "HTTP/2 502". */
const STATUS_LINE = /^HTTP\/\d(?:\.\d)? (\d{3})\b/;
/** A header line: a token, a colon, its value (RFC 9110, 5.1 and 5.5). */
const HEADER = /^([A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}):[ \t]*(.{0,400})$/;

/**
 * Who wrote an error response, by the marks the tiers leave on their own pages:
 * - the load balancer or proxy: ALB and ELB sign theirs `Server: awselb/2.0` (a backend's answer
 *   passed through keeps the backend's header); HAProxy's built-in pages say "No server is
 *   available to handle this request." (503), "The server didn't respond in time." (504), "The
 *   server returned an invalid or incomplete response." (502) (HAProxy's src/http_htx.c
 *   http_err_msgs); nginx's name its version in the footer, `<hr><center>nginx`, and a 502 or 504
 *   from nginx is always the proxy's own, a 429 or 503 its limit_req's (ngx_http_special_response.c); Envoy's local replies say
 *   "upstream connect error or disconnect/reset before headers", "no healthy upstream" or
 *   "upstream request timeout" (Envoy, "Response code details");
 * - the CDN: Cloudflare answers its own errors with statuses 520 to 527 under `Server: cloudflare`
 *   (Cloudflare, "Troubleshooting Cloudflare 5XX errors");
 * - the backend: a JSON error body (none of the pages above is JSON), or an application server
 *   or framework naming itself (`X-Powered-By`, `Server: gunicorn`, `Kestrel`, `Jetty`, ...).
 */
const PROXY_BODIES = [
  'no server is available to handle this request',
  "the server didn't respond in time",
  'the server returned an invalid or incomplete response',
  'upstream connect error or disconnect/reset before headers',
  'no healthy upstream',
  'upstream request timeout',
];
const NGINX_FOOTER = '<hr><center>nginx';
/** nginx's own refusals in front of a backend: limit_req's 429 (or its default 503), and the proxy's 502 and 504. */
const NGINX_OWN = [429, 502, 503, 504];
const APP_SERVERS = /^(?:gunicorn|uvicorn|hypercorn|werkzeug|basehttp|waitress|tornado|twistedweb|jetty|apache-coyote|kestrel|microsoft-iis|puma|unicorn|thin|passenger|express|cowboy|undertow|wildfly|jboss|websphere|weblogic|php)\b/i;

/** Whether the text holds a response as curl -i prints it: a status line, a header line under it (a command line may come first). */
export function isResponseHead(lines: readonly string[]): boolean {
  return lines.some((line, i) => STATUS_LINE.test(line.trim()) && HEADER.test((lines[i + 1] ?? '').trim()));
}

interface Response {
  status: number;
  headers: Map<string, string>;
  body: string[];
}

/** The responses in the text, each from its status line on: curl -i prints a 100 Continue or a redirect's before the last. */
function readResponses(all: readonly string[]): Response[] {
  const responses: Response[] = [];
  let inHeaders = false;
  for (const raw of all) {
    const line = raw.trim();
    const status = STATUS_LINE.exec(line);
    if (status) {
      responses.push({ status: Number(status[1]), headers: new Map(), body: [] });
      inHeaders = true;
      continue;
    }
    const current = responses.at(-1);
    if (!current) continue;
    if (inHeaders) {
      const header = HEADER.exec(line);
      if (header?.[1] !== undefined && header[2] !== undefined) {
        current.headers.set(header[1].toLowerCase(), header[2]);
        continue;
      }
      // A blank line ends the headers; so does anything that is not one (head cut them short).
      inHeaders = false;
      if (line === '') continue;
    }
    current.body.push(line.toLowerCase());
  }
  return responses;
}

function errorSource(response: Response): ErrorSource | undefined {
  const server = response.headers.get('server') ?? '';
  const body = response.body.join('\n');
  if (/^cloudflare\b/i.test(server) && response.status >= 520 && response.status <= 527) return 'cdn';
  if (/^awselb\b/i.test(server)) return 'lb';
  if (PROXY_BODIES.some((text) => body.includes(text))) return 'lb';
  if (body.includes(NGINX_FOOTER) && NGINX_OWN.includes(response.status)) return 'lb';
  const type = response.headers.get('content-type') ?? '';
  if (/\bjson\b/i.test(type) || response.headers.has('x-powered-by') || APP_SERVERS.test(server)) return 'backend';
  return undefined;
}

export const curlIParser: ArtifactParser = {
  kind: 'curl-i',
  describe:
    'curl -g -sS -i URL | head -n 20 (the status line, the headers and the start of the body): http.status, the last status line (after a 100 Continue or a redirect); ' +
    'for a 4xx or 5xx, http.error_source by the marks each tier leaves on its own error page: lb for Server: awselb, HAProxy\'s, nginx\'s (429, 502, 503, 504) or Envoy\'s built-in pages, ' +
    'cdn for Cloudflare\'s own 520-527, backend for a JSON body or an application server naming itself (X-Powered-By, Server: gunicorn, Kestrel, Jetty ...); none, with a warning, without such a mark',
  parse(text, context): ParsedFacts {
    const response = readResponses(artifactLines(text)).at(-1);
    if (!response) throw notRecognised('curl-i', EXPECTED);
    const facts: ParsedFacts = { 'http.status': response.status };
    if (response.status < 400) return facts;
    const source = errorSource(response);
    if (source !== undefined) return { ...facts, 'http.error_source': source };
    context?.warn?.({
      field: 'http.error_source',
      message: `the ${response.status} response bears no load balancer's, CDN's or application's mark (Server header, built-in error page, JSON body): compare it with the same request straight to a backend`,
    });
    return facts;
  },
};
