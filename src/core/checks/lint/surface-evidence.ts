import { isTicketFact } from '../../facts.js';
import type { LintCheck } from '../check.js';

/**
 * The most a rule reading only the ticket's surface may give a cause. A proxy's status or log
 * line says what the proxy saw, not why: "upstream timed out" ends every slow backend (a full
 * worker pool, a slow dependency, a pegged CPU, GC), "connection refused" every backend that is
 * down or no longer at the address the proxy dials (a crash, an OOM kill, a deploy, a stale DNS
 * answer), a 499 every client that gave up on a slow answer (AWS, "Troubleshoot your Application
 * Load Balancers", HTTP 460, 502 and 504, each with several causes:
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-troubleshooting.html;
 * nginx's proxy module, proxy_read_timeout and proxy_next_upstream:
 * https://nginx.org/en/docs/http/ngx_http_proxy_module.html). At 0.5 the mechanism leads a thin
 * ticket while the causes behind it keep their place in the differential; above it one log line
 * outweighs every finding about the backend (measured on the tuning corpus: docs/knowledge-base.md,
 * "What a proxy's log line is worth").
 */
const SURFACE_CF = 0.5;

/** What the proxy in front reports of a request, beside the ticket's own shape. */
const SURFACE_FACTS = new Set(['http.status', 'http.error_source', 'http.error_rate_pct', 'proxy.upstream_error']);
const onSurface = (fact: string) => isTicketFact(fact) || SURFACE_FACTS.has(fact);

export const surfaceEvidence: LintCheck = {
  meta: {
    id: 'surface-evidence',
    severity: 'warning',
    docs: {
      description: `A rule reading only what the ticket or the proxy's log shows (symptom, path, target, the HTTP status, where the error came from, the share of requests failing, the proxy's upstream error) gives a cause more than ${SURFACE_CF}.`,
      why: "The surface names the mechanism at the proxy, not the backend's cause behind it: a strong cf there puts the mechanism out of reach of every finding about the backend.",
    },
  },
  run(kb, report) {
    for (const rule of kb.rules) {
      if (!rule.facts.every(onSurface)) continue;
      rule.rule.evidence.forEach((e, i) => {
        if (e.cf > SURFACE_CF) report(rule.file, `${rule.path}/evidence/${i}/cf`, rule.id, `reads only the ticket's surface (${rule.facts.join(', ')}) and gives ${e.hypothesis} ${e.cf}: expected at most ${SURFACE_CF}, or a lintIgnore saying why this surface is the cause itself`);
      });
    }
  },
};
