/**
 * Writes every answer rca gives on the shipped material, one JSON line each, so a change that
 * must not change answers (a refactor of the core) can be checked byte for byte:
 *   npm run build && node dist/bench/answers-snapshot.js > before.jsonl
 *   ...change... && npm run build && node dist/bench/answers-snapshot.js > after.jsonl && cmp before.jsonl after.jsonl
 * Covered: every scenario and example diagnosed (JSON, text, markdown, html; en and zh-CN), the
 * interview replayed on every scenario from its opening facts as the corpus's replay answers
 * (replayAnswer, pastes included; each question and the final diagnosis), every rule case's
 * diagnosis, and the API's answers to the same bodies.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { kindsCarrying } from '../src/collect/parsers/index.js';
import { diagnose } from '../src/core/diagnose.js';
import { normalizeFacts } from '../src/core/facts.js';
import { nextQuestion, type InterviewState } from '../src/core/interview.js';
import { loadKnowledgeBase } from '../src/core/kb.js';
import { defaultKbDir, packageRoot } from '../src/core/paths.js';
import { renderReport } from '../src/core/render.js';
import { parseDiagnoseRequest } from '../src/core/request.js';
import { loadScenarios, openingFacts } from '../src/core/scenarios.js';
import { KbHolder } from '../src/server/kb-holder.js';
import { buildServer } from '../src/server/app.js';
import { replayAnswer } from '../src/kbtools/interview-eval.js';
import { cliReadOptions, shippedScenariosDir } from '../src/cli/kb-option.js';
import { exampleFiles } from './examples.js';

const MAX_QUESTIONS = 40;
const kb = loadKnowledgeBase([defaultKbDir], cliReadOptions());
// The load time is the one answer that differs from run to run.
const stable = (value: unknown) => JSON.stringify(value, (key, v: unknown) => (key === 'loadedAt' ? '<loadedAt>' : v));
const emit = (kind: string, name: string, value: unknown) => process.stdout.write(`${stable({ kind, name, value })}\n`);

async function diagnoseAll(name: string, facts: Record<string, unknown>, summary?: string) {
  for (const lang of ['en', 'zh-CN']) {
    const result = await diagnose(kb, normalizeFacts(facts, kb.vocabulary), { lang, ...(summary !== undefined && { summary }) });
    emit('diagnosis', `${name} ${lang}`, result);
    for (const format of ['text', 'markdown', 'html'] as const) emit(format, `${name} ${lang}`, renderReport(result, format));
  }
}

async function interview(name: string, facts: Record<string, unknown>) {
  const all = normalizeFacts(facts, kb.vocabulary);
  let state: InterviewState = { facts: normalizeFacts(openingFacts(facts), kb.vocabulary), unknown: [] };
  for (let asked = 0; asked < MAX_QUESTIONS; asked++) {
    const step = await nextQuestion(kb, state, { pasteKinds: kindsCarrying });
    emit('interview-step', `${name} #${asked}`, step);
    if (step.done || !step.question) break;
    state = replayAnswer(kb, all, state, step.question.fact, kindsCarrying).state;
  }
}

const bodies: Array<[string, Record<string, unknown>]> = [];
for (const scenario of loadScenarios(shippedScenariosDir)) {
  await diagnoseAll(scenario.file, scenario.facts);
  await interview(scenario.file, scenario.facts);
  bodies.push([scenario.file, { facts: scenario.facts, format: 'markdown' }]);
}
for (const file of exampleFiles()) {
  const request = parseDiagnoseRequest(JSON.parse(readFileSync(join(packageRoot, file), 'utf8')), { vocabulary: kb.vocabulary, allowBareFacts: true });
  await diagnoseAll(file, request.facts, request.summary ?? undefined);
  bodies.push([file, { facts: request.facts }]);
}
for (const loaded of kb.rules) {
  for (const [kind, cases] of Object.entries(loaded.rule.cases ?? {})) {
    for (const [i, facts] of (cases as Array<Record<string, unknown>>).entries()) {
      emit('rule-case', `${loaded.id} ${kind} ${i}`, await diagnose(kb, normalizeFacts(facts, kb.vocabulary), { lang: 'en' }));
    }
  }
}
const app = await buildServer({
  kb: new KbHolder([defaultKbDir]),
  tokens: [],
  bodyLimit: 1024 * 1024,
  rateLimitPerMinute: 0,
  responseCache: { entries: 0, bytes: 0 },
  logger: false,
  version: 'snapshot',
});
for (const [name, body] of bodies) {
  for (const url of ['/v1/diagnose', '/v1/interview/next']) {
    const res = await app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json', 'x-request-id': 'snapshot' }, payload: body });
    emit('api', `${url} ${name}`, { status: res.statusCode, body: res.body.replace(/"loadedAt":"[^"]*"/g, '"loadedAt":"<loadedAt>"') });
  }
}
for (const url of ['/v1/hypotheses', '/v1/questions', '/v1/kb', '/v1/hypotheses/network.mtu_blackhole', '/v1/nope']) {
  const res = await app.inject({ method: 'GET', url, headers: { 'x-request-id': 'snapshot' } });
  emit('api', `GET ${url}`, { status: res.statusCode, body: res.body.replace(/"loadedAt":"[^"]*"/g, '"loadedAt":"<loadedAt>"') });
}
await app.close();
