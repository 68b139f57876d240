import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { InputError } from '../../src/core/errors.js';
import { packageRoot } from '../../src/core/paths.js';
import { loadIncidents } from '../../src/kbtools/incidents.js';
import { shippedKb } from '../support.js';

const corpus = join(packageRoot, 'test', 'incidents');
const tune = loadIncidents([join(corpus, 'tune')], shippedKb());
const holdout = loadIncidents([join(corpus, 'holdout')], shippedKb());
const all = [...tune, ...holdout];
const { readjudicated = {} } = parseYaml(readFileSync(join(corpus, 'batches.yaml'), 'utf8')) as { readjudicated?: Record<string, { from: string; to: string[] }> };

describe('the real-incident corpus (test/incidents)', () => {
  it('holds at least 120 incidents, each valid against the schema, the vocabulary and the hypotheses', () => {
    expect(all.length).toBeGreaterThanOrEqual(120);
    expect(new Set(all.map((i) => i.id)).size).toBe(all.length);
  });

  it('keeps at least 10% whose cause is none, at least 25 from Chinese-language sources, at most 4 authored per hypothesis', () => {
    expect(all.filter((i) => i.cause === 'none').length / all.length).toBeGreaterThanOrEqual(0.1);
    expect(all.filter((i) => i.lang === 'zh').length).toBeGreaterThanOrEqual(25);
    const perHypothesis = new Map<string, number>();
    for (const incident of all) if (incident.cause !== 'none' && !(incident.id in readjudicated)) for (const id of incident.cause) perHypothesis.set(id, (perHypothesis.get(id) ?? 0) + 1);
    expect(Math.max(...perHypothesis.values())).toBeLessThanOrEqual(4);
  });

  it('holds each incident decided again when a cause joined the list at the cause it was given, from the one it had', () => {
    expect(Object.keys(readjudicated).length).toBeGreaterThan(0);
    for (const [id, { to }] of Object.entries(readjudicated)) expect(all.find((i) => i.id === id)?.cause, id).toEqual(to);
  });

  it('opens each ticket with the thin intake a reporter has (1-8 facts)', () => {
    for (const incident of all) expect(Object.keys(incident.intakeFacts).length, incident.file).toBeGreaterThanOrEqual(1);
    for (const incident of all) expect(Object.keys(incident.intakeFacts).length, incident.file).toBeLessThanOrEqual(8);
  });

  it('holds back exactly the 30% of the ids of each batch with the smallest SHA-256, so no incident moves to the tuning part after a run', () => {
    const { batches } = parseYaml(readFileSync(join(corpus, 'batches.yaml'), 'utf8')) as { batches: Record<string, string[]> };
    const listed = Object.values(batches).flat();
    expect(listed.sort()).toEqual(all.map((i) => i.id).sort());
    const sha = (id: string) => createHash('sha256').update(id).digest('hex');
    const held = Object.values(batches).flatMap((ids) => [...ids].sort((a, b) => sha(a).localeCompare(sha(b))).slice(0, Math.round(ids.length * 0.3)));
    expect(holdout.map((i) => i.id).sort()).toEqual(held.sort());
  });
});

describe('loadIncidents', () => {
  const write = (files: Record<string, string>) => {
    const dir = mkdtempSync(join(tmpdir(), 'rca-incidents-'));
    mkdirSync(join(dir, 'part'));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, 'part', name), text);
    return join(dir, 'part');
  };
  const good = ['id: ok-case', 'source: https://example.org/postmortem', 'lang: en', 'title: A case', 'cause: [network.mtu_blackhole]', 'level: top3', 'intake:', '  symptom.kind: timeout', 'findings:', '  - {fact: tcp.connect, value: ok, note: "connects fine"}', ''].join('\n');
  const problemsOf = (dir: string) => {
    try {
      loadIncidents([dir], shippedKb());
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      return (error as InputError).problems;
    }
    throw new Error('expected the corpus to be refused');
  };

  it('reads an incident with its intake and findings as facts', () => {
    const [incident] = loadIncidents([write({ 'ok-case.yaml': good })], shippedKb());
    expect(incident).toMatchObject({ id: 'ok-case', file: 'part/ok-case.yaml', cause: ['network.mtu_blackhole'], intakeFacts: { 'symptom.kind': 'timeout' }, findingFacts: { 'tcp.connect': 'ok' } });
  });

  it('names the file and path of every problem: unknown fact, bad value, unknown cause, misspelt field, id and name apart', () => {
    const bad = good
      .replace('id: ok-case', 'id: other-name')
      .replace('symptom.kind: timeout', 'symptom.knd: timeout')
      .replace('value: ok', 'value: sideways')
      .replace('network.mtu_blackhole', 'network.mtu_blakhole');
    expect(problemsOf(write({ 'ok-case.yaml': bad }))).toEqual([
      { field: 'part/ok-case.yaml at /id', expected: "the file's name (ok-case.yaml)", got: '"other-name"' },
      { field: 'part/ok-case.yaml at /cause/0', expected: 'a hypothesis id of the knowledge base (did you mean "network.mtu_blackhole"?)', got: '"network.mtu_blakhole"' },
      { field: 'part/ok-case.yaml at /intake/symptom.knd', expected: 'a known fact name (did you mean "symptom.kind"?)', got: 'unknown fact "symptom.knd"' },
      { field: 'part/ok-case.yaml at /findings/tcp.connect', expected: 'one of "ok", "refused", "timeout", "reset"', got: 'string "sideways"' },
    ]);
    expect(problemsOf(write({ 'ok-case.yaml': `${good}alternate: [dns.stale_record]\n` }))).toEqual([
      { field: 'part/ok-case.yaml at /alternate', expected: 'no property "alternate"', got: 'an unknown field' },
    ]);
    // A property missing or unknown is placed at itself and said as a scenario's is, not as "got object", the object holding it.
    expect(problemsOf(write({ 'ok-case.yaml': good.replace('source: https://example.org/postmortem\n', '').replace('note: "connects fine"', 'note: "connects fine", http.status: 503') }))).toEqual([
      { field: 'part/ok-case.yaml at /source', expected: 'property "source"', got: 'nothing' },
      { field: 'part/ok-case.yaml at /findings/0/http.status', expected: 'no property "http.status"', got: 'an unknown field' },
    ]);
  });

  it('says of a cause what its form wanted: "none" or a list, and of a list only what is wrong with it', () => {
    const withCause = (cause: string) => problemsOf(write({ 'ok-case.yaml': good.replace('cause: [network.mtu_blackhole]', `cause: ${cause}`) }));
    expect(withCause('3')).toEqual([{ field: 'part/ok-case.yaml at /cause', expected: '"none" or array', got: 'number 3' }]);
    expect(withCause('[network.mtu_blackhole, network.mtu_blackhole]')).toEqual([{ field: 'part/ok-case.yaml at /cause', expected: 'no item twice (items 0 and 1 are the same)', got: 'array of 2' }]);
    expect(withCause('[a.b, c.d, e.f, g.h]')).toEqual([{ field: 'part/ok-case.yaml at /cause', expected: 'at most 3 items', got: 'array of 4' }]);
    expect(withCause('[a.b, a.b, a.b, a.b]')).toEqual([
      { field: 'part/ok-case.yaml at /cause', expected: 'at most 3 items', got: 'array of 4' },
      { field: 'part/ok-case.yaml at /cause', expected: 'no item twice (items 2 and 3 are the same)', got: 'array of 4' },
    ]);
    expect(withCause('nothing')).toEqual([{ field: 'part/ok-case.yaml at /cause', expected: '"none"', got: 'string "nothing"' }]);
  });

  it('refuses a finding that contradicts the intake, a repeated id, and YAML aliases', () => {
    const contradicting = good.replace('findings:', 'findings:\n  - {fact: symptom.kind, value: slow, note: "was slow"}');
    expect(problemsOf(write({ 'ok-case.yaml': contradicting }))).toEqual([{ field: 'part/ok-case.yaml at /findings/symptom.kind', expected: 'the intake\'s value string "timeout"', got: 'string "slow"' }]);
    const twice = write({ 'ok-case.yaml': good });
    writeFileSync(join(twice, '..', 'ok-case.yaml'), good);
    expect(problemsOf(join(twice, '..'))).toEqual([{ field: `${twice.split('/').at(-2)}/part/ok-case.yaml at /id`, expected: 'an id used once in the corpus', got: `"ok-case", also in ${twice.split('/').at(-2)}/ok-case.yaml` }]);
    expect(problemsOf(write({ 'ok-case.yaml': good.replace('title: A case', 'title: &t A case\nsource2: *t') }))[0]).toMatchObject({ field: 'part/ok-case.yaml', expected: 'YAML without aliases' });
  });
});
