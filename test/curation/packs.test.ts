import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KbError } from '../../src/core/errors.js';
import { loadKnowledgeBase, sealCommand, sealKnowledgeBase } from '../../src/core/kb.js';
import { defaultKbDir } from '../../src/core/paths.js';
import { cliReadOptions } from '../../src/cli/kb-option.js';
import { kbProblems, pack } from '../fixtures.js';
import { diagnoseFacts } from '../support.js';
import { diagnose } from '../../src/core/diagnose.js';
import { renderReport } from '../../src/core/render.js';
import { runCli } from '../cli/run.js';
import { nextQuestion } from '../../src/core/interview.js';
import { lintKnowledgeBase } from '../../src/kbtools/lint.js';


const ICMP = { 'ping.result': 'fail', 'tcp.connect': 'ok', 'http.status': 200 };
function problems(build: () => unknown): string[] {
  try {
    build();
  } catch (error) {
    expect(error).toBeInstanceOf(KbError);
    return (error as KbError).problems.map((p) => `${p.path}: ${p.message}`);
  }
  throw new Error('expected a KbError');
}

describe('rule packs layered with --kb', () => {
  it('adds rules and hypotheses, overrides and disables shipped rules by id, and records it', async () => {
    const company = pack({
      hypotheses: [
        {
          id: 'app.acme_proxy_quirk',
          category: 'app',
          title: 'ACME proxy drops ICMP',
          description: 'Our egress proxy filters ICMP',
          checks: [{ command: 'ping {{target.host}}', confirms: 'no reply', rulesOut: 'replies' }],
        },
      ],
      rules: [
        {
          id: 'network.icmp_fails_tcp_works',
          override: true,
          description: 'ACME: ICMP failing with TCP up is our proxy',
          conditions: { all: [{ fact: 'ping.result', operator: 'equal', value: 'fail' }, { fact: 'tcp.connect', operator: 'equal', value: 'ok' }] },
          evidence: [{ hypothesis: 'app.acme_proxy_quirk', cf: 0.95 }],
        },
      ],
      disable: [{ rule: 'network.icmp_fails_http_answers', reason: 'ICMP is always filtered at ACME' }],
    });
    const kb = loadKnowledgeBase([defaultKbDir, company]);
    expect(kb.meta.packs).toBe(2);
    expect(kb.meta.changes.map((c) => [c.kind, c.entry, c.id])).toEqual([
      ['override', 'rule', 'network.icmp_fails_tcp_works'],
      ['disable', 'rule', 'network.icmp_fails_http_answers'],
    ]);
    expect(kb.rules.some((r) => r.id === 'network.icmp_fails_http_answers')).toBe(false);
    const result = await diagnoseFacts(ICMP, {}, kb);
    expect(result.hypotheses[0]?.id).toBe('app.acme_proxy_quirk');
  });

  it('refuses a duplicate id without override, and an override or disable of nothing', () => {
    const duplicate = pack({ rules: [{ id: 'network.icmp_fails_http_answers', description: 'x', conditions: { all: [{ fact: 'ping.result', operator: 'equal', value: 'fail' }] }, evidence: [{ hypothesis: 'network.packet_loss', cf: 0.1 }] }] });
    // Read as the CLI reads it: paths in messages relative to the working directory it passes.
    expect(problems(() => loadKnowledgeBase([defaultKbDir, duplicate], cliReadOptions()))[0]).toMatch(/^\/rules\/0: duplicate rule "network.icmp_fails_http_answers" \(first defined in rules\/network\/icmp_filtered\.yaml:\d+:3 at \/rules\/\d+; set override: true to replace it\)$/);
    const nothing = pack({ rules: [{ id: 'acme.new', override: true, description: 'x', conditions: { all: [{ fact: 'ping.result', operator: 'equal', value: 'fail' }] }, evidence: [{ hypothesis: 'network.packet_loss', cf: 0.1 }] }], disable: [{ rule: 'acme.nope', reason: 'gone' }] });
    expect(problems(() => loadKnowledgeBase([defaultKbDir, nothing]))).toEqual([
      '/rules/0/override: rule "acme.new" overrides nothing: no earlier pack defines it',
      '/disable/0/rule: disables unknown rule "acme.nope"',
    ]);
  });

  it("runs the shipped commands by name: a pack's question overriding a shipped one asks what the command says", () => {
    const shipped = loadKnowledgeBase([defaultKbDir]);
    const reworded = pack({ questions: [{ fact: 'host.cpu_pct', override: true, text: 'How busy is the node (100 - idle - wa)?', run: 'top_snapshot', answerChance: 0.7 }] });
    const kb = loadKnowledgeBase([defaultKbDir, reworded]);
    const { text, answerChance, run, how, paste, carries } = kb.questions.get('host.cpu_pct')?.value ?? {};
    expect({ text, answerChance, run }).toEqual({ text: 'How busy is the node (100 - idle - wa)?', answerChance: 0.7, run: 'top_snapshot' });
    expect({ how, paste, carries }).toEqual(shipped.commands.get('top_snapshot')?.value);
    // A misspelt name in the pack is refused at its file and pointer, with the name it likely means.
    const misspelt = pack({ questions: [{ fact: 'host.cpu_pct', override: true, text: 'Busy?', run: 'top_snapshto' }] });
    expect(problems(() => loadKnowledgeBase([defaultKbDir, misspelt]))).toEqual([
      '/questions/0/run: expected the name of a command defined under commands, got unknown "top_snapshto" (did you mean "top_snapshot"?)',
    ]);
  });

  it('refuses a misspelt command name in a pack from the CLI: exit 3, its file, line and pointer, expected and got', async () => {
    const misspelt = pack({ questions: [{ fact: 'host.cpu_pct', override: true, text: 'Busy?', run: 'top_snapshto' }] });
    const run = await runCli(['diagnose', '-', '--kb', defaultKbDir, '--kb', misspelt], { input: '{"symptom.kind": "slow"}' });
    expect(run.code).toBe(3);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`rca: knowledge-base error: ${misspelt}/pack.yaml:5:5 at /questions/0/run: expected the name of a command defined under commands, got unknown "top_snapshto" (did you mean "top_snapshot"?)\n`);
  });
});

describe('a pack that extends a hypothesis of an earlier pack', () => {
  // A company's refinement of a shipped cause: its own fact, weighed under the shipped cause too,
  // so that the differential (and the interview planning with it) can tell the two apart.
  const POOL = 'acme.pool_saturated';
  const poolCheck = { command: 'curl -s {{target.url}}', confirms: { en: 'pending above 0', 'zh-CN': '等待数大于 0' }, rulesOut: { en: 'nothing pending', 'zh-CN': '没有等待' } };
  const acmePack = (extension: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    pack({
      facts: { [POOL]: { type: 'boolean', description: { en: 'the checkout DB pool is at its limit', 'zh-CN': '结账数据库连接池已满' } } },
      model: { override: true, background: { [POOL]: { true: 0.1 } } },
      extend: [{ hypothesis: 'app.slow_dependency', reason: 'our checkout waits on its DB pool', ...extension }],
      ...extra,
    });

  it('adds likelihood rows, checks and references beside the shipped ones, records it, and weighs the rows', async () => {
    const shipped = loadKnowledgeBase([defaultKbDir]).hypotheses.get('app.slow_dependency')?.value;
    const acme = acmePack({ likelihoods: { [POOL]: { true: 0.6 } }, checks: [poolCheck], references: [{ title: 'HikariCP pool sizing', url: 'https://github.com/brettwooldridge/HikariCP/wiki/About-Pool-Sizing' }], symptoms: ['slow', 'connection_reset'] });
    const kb = loadKnowledgeBase([defaultKbDir, acme]);
    const extended = kb.hypotheses.get('app.slow_dependency')?.value;
    expect(kb.meta.changes.filter((c) => c.kind === 'extend').map((c) => [c.entry, c.id, c.adds, c.reason])).toEqual([
      ['hypothesis', 'app.slow_dependency', [`likelihoods of ${POOL}`, '1 check', '1 reference', 'symptoms connection_reset'], 'our checkout waits on its DB pool'],
    ]);
    expect(extended?.likelihoods).toEqual({ ...shipped?.likelihoods, [POOL]: { true: 0.6 } });
    expect(extended?.checks).toEqual([...(shipped?.checks ?? []), poolCheck]);
    expect(extended?.references?.length).toBe((shipped?.references?.length ?? 0) + 1);
    expect(extended?.symptoms).toEqual([...(shipped?.symptoms ?? []), 'connection_reset']);
    // The shipped entry as loaded alone is untouched.
    expect(loadKnowledgeBase([defaultKbDir]).hypotheses.get('app.slow_dependency')?.value.checks).toEqual(shipped?.checks);
    const slow = { 'symptom.kind': 'slow', 'app.slow_dependency': true };
    const confidence = async (facts: Record<string, unknown>) => (await diagnoseFacts(facts, {}, kb)).hypotheses.find((h) => h.id === 'app.slow_dependency')?.confidence ?? 0;
    const unknown = await confidence(slow);
    expect(await confidence({ ...slow, [POOL]: true })).toBeGreaterThan(unknown);
    expect(await confidence({ ...slow, [POOL]: false })).toBeLessThan(unknown);
    const report = renderReport(await diagnose(kb, { ...slow, 'target.url': 'https://shop.example/' }), 'text');
    expect(report).toContain('$ curl -s https://shop.example/');
    const shown = await runCli(['kb', 'show', 'app.slow_dependency', '--kb', defaultKbDir, '--kb', acme]);
    const extensionLine = readFileSync(join(acme, 'pack.yaml'), 'utf8').split('\n').indexOf('  - hypothesis: app.slow_dependency') + 1;
    expect(shown.stdout.split('\n').slice(1, 3)).toEqual([expect.stringMatching(/^ {2}rules\/app\/slow_dependency\.yaml:\d+:3$/), `  extended by ${join(acme, 'pack.yaml')}:${extensionLine}:3`]);
    const validated = await runCli(['kb', 'validate', '--kb', defaultKbDir, '--kb', acme]);
    expect(validated.stdout.split('\n').filter((line) => line.startsWith('  extend'))).toEqual([
      `  extend hypothesis app.slow_dependency (rules/app/slow_dependency.yaml at /hypotheses/0): ${join(acme, 'pack.yaml')} adds likelihoods of ${POOL}; 1 check; 1 reference; symptoms connection_reset: our checkout waits on its DB pool`,
    ]);
  });

  it("lets the interview ask a pack's cause that refines the shipped one: the extension's row makes its fact one that tells them apart", async () => {
    // The pack's own cause: a pool too small, under "the application waits on a slow downstream".
    const refined = {
      hypotheses: [
        {
          id: 'acme.pool_too_small',
          category: 'app',
          symptoms: ['slow', 'timeout'],
          title: 'The checkout DB pool is too small',
          description: 'Requests queue for a pool connection while the database itself is idle.',
          checks: [poolCheck],
          likelihoods: { 'symptom.kind': { slow: 0.6, timeout: 0.35, errors: 0.05 }, 'app.slow_dependency': { true: 0.9 }, [POOL]: { true: 0.95 } },
        },
      ],
      questions: [{ fact: POOL, text: 'Do requests wait for a connection of the checkout DB pool?', how: 'curl -s {{target.url}}', effort: 'low' }],
    };
    const alone = loadKnowledgeBase([defaultKbDir, pack({ facts: { [POOL]: { type: 'boolean', description: 'the checkout DB pool is at its limit' } }, model: { override: true, background: { [POOL]: { true: 0.1 } } }, ...refined })]);
    const extended = loadKnowledgeBase([defaultKbDir, acmePack({ likelihoods: { [POOL]: { true: 0.2 } } }, refined)]);
    // The shipped app.connection_pool_exhausted, the same story told by the app's log, is ruled out by it.
    const state = { facts: { 'symptom.kind': 'slow', 'app.slow_dependency': true, 'app.pool_wait_timeouts': false }, unknown: ['symptom.scope'] };
    expect((await nextQuestion(alone, state)).question?.fact).not.toBe(POOL);
    expect((await nextQuestion(extended, state)).question?.fact).toBe(POOL);
    const answered = await diagnoseFacts({ ...state.facts, [POOL]: true }, {}, extended);
    expect(answered.hypotheses.map((h) => h.id).slice(0, 2)).toEqual(['acme.pool_too_small', 'app.slow_dependency']);
  });

  it('a row for a fact the table already weighs replaces it, and says so', () => {
    const kb = loadKnowledgeBase([defaultKbDir, acmePack({ likelihoods: { 'symptom.kind': { slow: 0.5, timeout: 0.5 } } })]);
    expect(kb.hypotheses.get('app.slow_dependency')?.value.likelihoods?.['symptom.kind']).toEqual({ slow: 0.5, timeout: 0.5 });
    expect(kb.meta.changes.find((c) => c.kind === 'extend')?.adds).toEqual(['likelihoods of symptom.kind in place of the rows it had']);
  });

  it('refuses an extension of nothing, of its own pack, and one that adds nothing', () => {
    expect(kbProblems(() => loadKnowledgeBase([defaultKbDir, pack({ extend: [{ hypothesis: 'app.nope', reason: 'typo', symptoms: ['slow'] }] })]))).toEqual([
      expect.stringMatching(/pack\.yaml at \/extend\/0\/hypothesis: extends unknown hypothesis "app\.nope"$/),
    ]);
    const own = pack({
      hypotheses: [{ id: 'acme.quirk', category: 'app', title: 't', description: 'd', checks: [] }],
      extend: [{ hypothesis: 'acme.quirk', reason: 'why not', symptoms: ['slow'] }],
    });
    expect(kbProblems(() => loadKnowledgeBase([defaultKbDir, own]))).toEqual([
      `${join(own, 'pack.yaml')} at /extend/0/hypothesis: extends hypothesis "acme.quirk" of its own pack (${join(own, 'pack.yaml')}:2:3 at /hypotheses/0): edit it there`,
    ]);
    // Near miss: symptoms it already has add nothing.
    const nothing = pack({ extend: [{ hypothesis: 'app.slow_dependency', reason: 'no-op', symptoms: ['slow'] }] });
    expect(kbProblems(() => loadKnowledgeBase([defaultKbDir, nothing]))).toEqual([
      `${join(nothing, 'pack.yaml')} at /extend/0: expected likelihoods, checks, references or symptoms to add to hypothesis "app.slow_dependency", got none it does not have`,
    ]);
    expect(kbProblems(() => loadKnowledgeBase([defaultKbDir, pack({ extend: [{ hypothesis: 'app.slow_dependency', symptoms: ['connection_reset'] }] })]))[0]).toMatch(/at \/extend\/0: .*reason/);
  });

  it('refuses what one pack would leave to file order: a row given twice, an override and an extension of one hypothesis', () => {
    const twice = pack({ extend: [{ hypothesis: 'app.slow_dependency', reason: 'first', likelihoods: { 'symptom.kind': { slow: 0.5 } } }, { hypothesis: 'app.slow_dependency', reason: 'second', likelihoods: { 'symptom.kind': { slow: 0.9 } } }] });
    const file = join(twice, 'pack.yaml');
    const lineOf = (dir: string, name: string, text: string) => readFileSync(join(dir, name), 'utf8').split('\n').findIndex((line) => line.includes(text)) + 1;
    expect(kbProblems(() => loadKnowledgeBase([defaultKbDir, twice]))).toEqual([
      `${file} at /extend/1/likelihoods/symptom.kind: hypothesis "app.slow_dependency" is given a likelihood row for symptom.kind twice in one pack (first in ${file}:${lineOf(twice, 'pack.yaml', 'symptom.kind')}:7 at /extend/0/likelihoods/symptom.kind): give it once`,
    ]);
    // Near miss: two packs, each giving the row once; the later one's counts.
    const second = pack({ extend: [{ hypothesis: 'app.slow_dependency', reason: 'second', likelihoods: { 'symptom.kind': { slow: 0.9 } } }] });
    const layered = loadKnowledgeBase([defaultKbDir, pack({ extend: [{ hypothesis: 'app.slow_dependency', reason: 'first', likelihoods: { 'symptom.kind': { slow: 0.5 } } }] }), second]);
    expect(layered.hypotheses.get('app.slow_dependency')?.value.likelihoods?.['symptom.kind']).toEqual({ slow: 0.9 });
    // An override and an extension in one pack, in either file order.
    const shipped = loadKnowledgeBase([defaultKbDir]).hypotheses.get('app.slow_dependency')?.value;
    const both = pack({ extend: [{ hypothesis: 'app.slow_dependency', reason: 'ours', symptoms: ['connection_reset'] }] });
    writeFileSync(join(both, 'z-override.yaml'), JSON.stringify({ hypotheses: [{ ...shipped, override: true }] }));
    expect(kbProblems(() => loadKnowledgeBase([defaultKbDir, both]))).toEqual([
      `${join(both, 'z-override.yaml')} at /hypotheses/0/override: hypothesis "app.slow_dependency" is overridden and extended in the same pack (extended in ${join(both, 'pack.yaml')}:${lineOf(both, 'pack.yaml', 'hypothesis: app.slow_dependency')}:3 at /extend/0): put what the extension adds in the override`,
    ]);
    const reversed = pack({ hypotheses: [{ ...shipped, override: true }] });
    writeFileSync(join(reversed, 'z-extend.yaml'), JSON.stringify({ extend: [{ hypothesis: 'app.slow_dependency', reason: 'ours', symptoms: ['connection_reset'] }] }));
    expect(kbProblems(() => loadKnowledgeBase([defaultKbDir, reversed]))[0]).toMatch(/z-extend\.yaml at \/extend\/0\/hypothesis: extends hypothesis "app\.slow_dependency" of its own pack \(.*pack\.yaml:2:3 at \/hypotheses\/0\): edit it there$/);
    // A later pack's override replaces the hypothesis with what earlier extensions added, and says so.
    const extended = pack({ extend: [{ hypothesis: 'app.slow_dependency', reason: 'ours', symptoms: ['connection_reset'] }] });
    const replaced = loadKnowledgeBase([defaultKbDir, extended, pack({ hypotheses: [{ ...shipped, override: true }] })]);
    expect(replaced.hypotheses.get('app.slow_dependency')?.value.symptoms).toEqual(shipped?.symptoms);
    expect(replaced.meta.changes.find((c) => c.kind === 'override')?.previous).toBe(`${defaultKbDir}/app/slow_dependency.yaml at /hypotheses/0 with its extensions in ${join(extended, 'pack.yaml')} at /extend/0`);
  });

  it('places a finding in what an extension added at the extension, not at the hypothesis it extends', () => {
    const badRow = acmePack({ likelihoods: { [POOL]: { yes: 0.6 } }, checks: [{ ...poolCheck, command: 'curl -s {{acme.nope}}' }] });
    expect(kbProblems(() => loadKnowledgeBase([defaultKbDir, badRow]))).toEqual([
      `${join(badRow, 'pack.yaml')} at /extend/0/likelihoods/${POOL}/yes: expected one of true, false, got "yes"`,
      `${join(badRow, 'pack.yaml')} at /extend/0/checks/0/command: expected a known fact name (\`rca facts\` or GET /v1/schema/facts lists them), got unknown fact "acme.nope"`,
    ]);
    const english = acmePack({ checks: [{ ...poolCheck, confirms: 'pending above 0' }] });
    const lint = lintKnowledgeBase(loadKnowledgeBase([defaultKbDir, english])).findings.filter((f) => f.check === 'missing-translation');
    expect(lint.map((f) => `${f.file} at ${f.path}`)).toEqual([`${join(english, 'pack.yaml')} at /extend/0/checks/0/confirms`]);
  });

  it('is counted in the pack\'s lock, which a KB without extensions does not mention', () => {
    const acme = acmePack({ symptoms: ['connection_reset'] });
    expect(sealKnowledgeBase(acme, [defaultKbDir]).lock.counts).toEqual({ files: 1, hypotheses: 0, rules: 0, questions: 0, conditions: 0, disable: 0, extend: 1 });
    expect(sealKnowledgeBase(pack({ disable: [] }), [defaultKbDir]).lock.counts).not.toHaveProperty('extend');
    // A lock edited to lose the count is caught, as one edited to change it is.
    const lockFile = join(acme, 'kb.lock.json');
    const lock = JSON.parse(readFileSync(lockFile, 'utf8'));
    delete lock.counts.extend;
    writeFileSync(lockFile, JSON.stringify(lock));
    expect(kbProblems(() => loadKnowledgeBase([defaultKbDir, acme], { requireLock: true }))).toEqual([`${lockFile} at /counts/extend: expected no extend as sealed, got 1`]);
  });

  it('kb seal counts the extensions; kb validate shows a reason\'s line feeds, so it forges no line', async () => {
    const acme = acmePack({ symptoms: ['connection_reset'] }, { disable: [{ rule: 'network.icmp_fails_http_answers', reason: 'ICMP filtered\nvalid: forged' }] });
    const yaml = readFileSync(join(acme, 'pack.yaml'), 'utf8').replace('reason: our checkout waits on its DB pool', 'reason: "ours\\nvalid: forged"');
    writeFileSync(join(acme, 'pack.yaml'), yaml);
    const sealed = await runCli(['kb', 'seal', acme, '--kb', defaultKbDir]);
    expect(sealed.stdout).toBe(`sealed: wrote ${join(acme, 'kb.lock.json')} (1 file, 0 hypotheses, 0 rules, 0 questions, 0 shared conditions, 1 disabled rule, 1 extended hypothesis)\n`);
    const validated = (await runCli(['kb', 'validate', '--kb', defaultKbDir, '--kb', acme])).stdout.split('\n');
    expect(validated.filter((line) => line.startsWith('valid'))).toHaveLength(1);
    const changes = validated.filter((line) => /^ {2}(extend|disabled) /.test(line));
    expect(changes).toHaveLength(2);
    expect(changes[0]).toMatch(/^ {2}extend hypothesis app\.slow_dependency .*: ours\\nvalid: forged$/);
    expect(changes[1]).toMatch(/^ {2}disabled rule network\.icmp_fails_http_answers .*: ICMP filtered\\nvalid: forged$/);
  });
});

describe('sealed packs', () => {
  it('a pack is sealed over the packs it is layered on; a server (requireLock) loads it only once sealed', () => {
    const company = pack({ disable: [{ rule: 'network.icmp_fails_http_answers', reason: 'ICMP is always filtered at ACME' }] });
    expect(loadKnowledgeBase([defaultKbDir, company]).meta.unsealed).toEqual([company]);
    expect(problems(() => loadKnowledgeBase([defaultKbDir, company], { requireLock: true }))).toEqual([
      `: expected a sealed knowledge base (kb.lock.json), got none: validate it and run \`rca kb seal ${company} --kb ${defaultKbDir}\``,
    ]);
    // Alone it does not validate (it disables a rule of the shipped KB), so it is sealed over it.
    expect(problems(() => sealKnowledgeBase(company))).toEqual(['/disable/0/rule: disables unknown rule "network.icmp_fails_http_answers"']);
    expect(sealKnowledgeBase(company, [defaultKbDir]).lock.counts).toEqual({ files: 1, hypotheses: 0, rules: 0, questions: 0, conditions: 0, disable: 1 });
    const kb = loadKnowledgeBase([defaultKbDir, company], { requireLock: true });
    expect(kb.meta.unsealed).toEqual([]);
    expect(kb.meta.changes.map((c) => `${c.kind} ${c.id}`)).toEqual(['disable network.icmp_fails_http_answers']);
  });

  it('lists a pack\'s model override among the changes kb validate shows: a prior of "no known cause" near 1 changes every diagnosis', () => {
    const skeptic = pack({ model: { override: true, otherCausePrior: 0.9999, temperature: 1 } });
    const kb = loadKnowledgeBase([defaultKbDir, skeptic]);
    expect(kb.meta.changes.map((c) => [c.kind, c.entry, c.id, c.previous])).toEqual([['override', 'model', 'otherCausePrior, temperature', `${defaultKbDir}/model.yaml at /model`]]);
  });
});

describe('a pack that names itself', () => {
  it('is listed after the knowledge base it sits on: in the diagnosis, every report and kb validate', async () => {
    const acme = pack({ kb: { name: 'acme-pack', version: '1.2.0' }, disable: [{ rule: 'network.icmp_fails_http_answers', reason: 'ICMP always filtered here' }] });
    const kb = loadKnowledgeBase([defaultKbDir, acme]);
    expect(kb.meta.layers).toEqual([{ name: 'acme-pack', version: '1.2.0' }]);
    const result = await diagnose(kb, { 'ping.result': 'fail' });
    expect(result.kb).toMatchObject({ name: 'rca-core', packs: [{ name: 'acme-pack', version: '1.2.0' }] });
    expect(renderReport(result, 'text').split('\n')[0]).toBe('rca diagnosis  knowledge base rca-core 0.1.0 + acme-pack 1.2.0');
    expect(renderReport(result, 'markdown')).toContain('_knowledge base `rca-core` 0.1.0 + `acme-pack` 1.2.0, `sha256:');
    expect(renderReport(result, 'html')).toContain('knowledge base rca-core 0.1.0 + acme-pack 1.2.0 ·');
    const validated = await runCli(['kb', 'validate', '--kb', defaultKbDir, '--kb', acme]);
    expect(validated.stdout).toMatch(/^valid: rca-core 0\.1\.0 \+ acme-pack 1\.2\.0 \(sha256:/);
    // Near misses: a pack that names nothing adds nothing to the name; two kb sections in one pack are an error, as in the first.
    expect((await diagnose(loadKnowledgeBase([defaultKbDir, pack({ disable: [] })]), {})).kb).not.toHaveProperty('packs');
    writeFileSync(join(acme, 'again.yaml'), 'kb: {name: acme-again, version: 1.0.0}\n');
    expect(() => loadKnowledgeBase([defaultKbDir, acme])).toThrow(`${join(acme, 'pack.yaml')}:1:1 at /kb: second kb section (first in ${join(acme, 'again.yaml')})`);
  });
});

describe('sealCommand', () => {
  it('names the layers a pack is sealed over, each path one shell word that rca reads as a path', () => {
    expect(sealCommand('/work/acme pack', ['/work/rules', '/work/team'], '/work')).toBe("rca kb seal 'acme pack' --kb rules --kb team");
    expect(sealCommand('-pack', [], undefined)).toBe('rca kb seal ./-pack');
    expect(sealCommand('$(id)', [], undefined)).toBe("rca kb seal '$(id)'");
  });
});

describe('rule lifecycle', () => {
  const lifecycle = pack({
    kb: { name: 'lifecycle', version: '1.0.0' },
    hypotheses: [{ id: 'network.packet_loss', category: 'network', title: 't', description: 'd', checks: [] }],
    rules: [
      { id: 'old', status: 'deprecated', replacedBy: 'new', description: 'x', conditions: { all: [{ fact: 'ping.result', operator: 'equal', value: 'fail' }] }, evidence: [{ hypothesis: 'network.packet_loss', cf: 0.3 }] },
      { id: 'new', status: 'stable', description: 'x', conditions: { all: [{ fact: 'ping.result', operator: 'equal', value: 'partial_loss' }] }, evidence: [{ hypothesis: 'network.packet_loss', cf: 0.5 }] },
      { id: 'trial', status: 'experimental', description: 'x', conditions: { all: [{ fact: 'ping.loss_pct', operator: 'greaterThan', value: 5 }] }, evidence: [{ hypothesis: 'network.packet_loss', cf: 0.5 }] },
    ],
  });

  it('--min-status filters what is loaded', () => {
    expect(loadKnowledgeBase([lifecycle]).rules.map((r) => r.id)).toEqual(['old', 'new', 'trial']);
    expect(loadKnowledgeBase([lifecycle], { minStatus: 'experimental' }).rules.map((r) => r.id)).toEqual(['new', 'trial']);
    const stable = loadKnowledgeBase([lifecycle], { minStatus: 'stable' });
    expect(stable.rules.map((r) => r.id)).toEqual(['new']);
    expect(stable.meta.changes.map((c) => `${c.kind} ${c.id}: ${c.reason}`)).toEqual(['filtered old: status deprecated below --min-status stable', 'filtered trial: status experimental below --min-status stable']);
  });

  it('a deprecated rule must name its replacement', () => {
    const bad = pack({
      hypotheses: [{ id: 'network.packet_loss', category: 'network', title: 't', description: 'd', checks: [] }],
      rules: [{ id: 'old', status: 'deprecated', description: 'x', conditions: { all: [{ fact: 'ping.result', operator: 'equal', value: 'fail' }] }, evidence: [{ hypothesis: 'network.packet_loss', cf: 0.3 }] }],
    });
    expect(problems(() => loadKnowledgeBase([bad]))).toEqual(['/rules/0/status: a deprecated rule names its replacement: add replacedBy']);
  });
});
