/* Generated from schemas/incident.schema.json by scripts/gen-types.mjs. Do not edit. */

/**
 * One real, public incident, written from its source in the fact vocabulary by an author who never read rules/: what the reporter knew when the ticket was opened (intake), what the investigation found (findings), and the accepted cause. Used to measure the knowledge base on thin, real evidence (test/incidents).
 */
export interface Incident {
  /**
   * kebab-case, unique; the file is named <id>.yaml
   */
  id: string;
  /**
   * the public page the incident is written from
   */
  source: string;
  /**
   * language of the source
   */
  lang: 'en' | 'zh';
  title: string;
  /**
   * the accepted hypothesis ids (any of them ranked counts as right), or none when no known cause fits
   */
  cause: 'none' | string[];
  /**
   * top1: the intake alone should name the cause; top3: the intake is thin
   */
  level: 'top1' | 'top3';
  /**
   * the facts the reporter had when the ticket was opened (usually 2-6), flat dotted names
   */
  intake: {
    [k: string]: string | number | boolean;
  };
  /**
   * further facts true in the incident, learnt by asking or running a command
   */
  findings: {
    fact: string;
    value: string | number | boolean;
    /**
     * what the source reports, in the author's words
     */
    note: string;
  }[];
}
