import { caseFeatures, SimilarCases } from '../cases/similar.js';
import { diagnose } from '../core/diagnose.js';
import type { KnowledgeBase } from '../core/kb.js';
import { share } from './eval.js';
import type { LoadedIncident } from './incidents.js';

export interface SimilarCaseAccuracy {
  /** Incidents with a known cause, each left out in turn. */
  incidents: number;
  /** Share whose most similar other incident's confirmed cause is one of its accepted causes. */
  similarTop1: number;
  /** Share with any similar incident at all (sharing a feature). */
  similarAnswered: number;
  /** rca's own top-1 on the same incidents, from the same intake. */
  rcaTop1: number;
}


/** The corpus read as cases: each incident resolved (its diagnosis with everything found), and arriving as a ticket (its intake only). */
export async function corpusCases(kb: KnowledgeBase, incidents: readonly LoadedIncident[]) {
  const known = incidents.filter((i): i is LoadedIncident & { cause: string[] } => i.cause !== 'none');
  const resolved = [];
  const tickets = [];
  for (const incident of known) {
    const found = await diagnose(kb, { ...incident.findingFacts, ...incident.intakeFacts });
    resolved.push({ id: incident.id, cause: incident.cause[0] as string, features: caseFeatures(found) });
    const intake = await diagnose(kb, incident.intakeFacts);
    tickets.push({ incident, features: caseFeatures(intake), rcaFirst: intake.hypotheses[0]?.id });
  }
  return { resolved, tickets };
}

/**
 * Leave-one-out on the real-incident corpus, read as resolved cases: each resolved case is
 * described by its diagnosis with everything the investigation found, and confirmed as its
 * first accepted cause; each incident in turn arrives as a new ticket (its intake only) and is
 * compared with all the others. Counts how often the most similar one's cause is an accepted
 * cause, beside how often rca's own first hypothesis is.
 */
export async function similarCaseAccuracy(kb: KnowledgeBase, incidents: readonly LoadedIncident[]): Promise<SimilarCaseAccuracy> {
  return leaveOneOut(await corpusCases(kb, incidents));
}

/** similarCaseAccuracy on the corpus already read as cases (corpusCases), for a caller that has them. */
export function leaveOneOut({ resolved, tickets }: Awaited<ReturnType<typeof corpusCases>>): SimilarCaseAccuracy {
  let similarRight = 0;
  let answered = 0;
  let rcaRight = 0;
  for (const { incident, features, rcaFirst } of tickets) {
    const index = new SimilarCases(resolved.filter((r) => r.id !== incident.id));
    const [nearest] = index.nearest(features, 1);
    if (nearest) answered++;
    if (nearest && incident.cause.includes(nearest.case.cause)) similarRight++;
    if (rcaFirst !== undefined && incident.cause.includes(rcaFirst)) rcaRight++;
  }
  return { incidents: tickets.length, similarTop1: share(similarRight, tickets.length), similarAnswered: share(answered, tickets.length), rcaTop1: share(rcaRight, tickets.length) };
}
