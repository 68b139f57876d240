import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatKbProblem, type KbError } from '../../src/core/errors.js';
import { loadKnowledgeBase, readKbDirectory } from '../../src/core/kb.js';
import { hypothesis, kbOf, kbProblems } from '../fixtures.js';
import { cpuStopwatch } from '../cpu-time.js';

const rule = (conditions: unknown, extra: Record<string, unknown> = {}) => ({
  id: 'r1',
  description: 'rule',
  conditions,
  evidence: [{ hypothesis: 'network.packet_loss', cf: 0.5 }],
  ...extra,
});
const leaf = (fact: string, operator: string, value: unknown) => ({ all: [{ fact, operator, value }] });
const withRules = (...rules: unknown[]) => () => kbOf({ hypotheses: [hypothesis('network.packet_loss')], rules });

describe('file paths in messages', () => {
  it('are relative to the working directory the caller gives, else as given: the core never asks the process', () => {
    const parent = mkdtempSync(join(tmpdir(), 'rca-cwd-'));
    const dir = join(parent, 'acme');
    mkdirSync(dir);
    writeFileSync(join(dir, 'kb.yaml'), 'rules: [{id: r1}]\n');
    const fileShown = (options: { cwd?: string }) => kbProblems(() => loadKnowledgeBase([dir], options))[0]?.split(' at /rules/0: ')[0];
    expect(fileShown({ cwd: parent })).toBe(join('acme', 'kb.yaml'));
    expect(fileShown({})).toBe(join(dir, 'kb.yaml'));
    expect(fileShown({ cwd: join(parent, 'elsewhere') })).toBe(join(dir, 'kb.yaml'));
  });
});

describe('knowledge-base validation', () => {
  it('names file and path of a schema violation', () => {
    expect(kbProblems(withRules(rule(leaf('ping.result', 'equal', 'fail'), { evidence: [{ hypothesis: 'network.packet_loss', cf: 1.5 }] })))).toEqual([
      'file0.yaml at /rules/0/evidence/0/cf: expected a number <= 1, got number 1.5',
    ]);
  });

  it('refuses an empty any (json-rules-engine treats it as true)', () => {
    expect(kbProblems(withRules(rule({ any: [] })))).toEqual(['file0.yaml at /rules/0/conditions/any: expected at least 1 item, got an empty array']);
    // An array where a value goes is counted, not only named.
    expect(kbProblems(withRules(rule({ any: [leaf('ping.result', 'equal', 'fail')] }, { description: ['a', 'b'] })))).toEqual(['file0.yaml at /rules/0/description: expected string or object, got an array of 2 items']);
  });

  it('a cf of 0 says what a cf must be, and why 0 is none', () => {
    expect(kbProblems(withRules(rule(leaf('ping.result', 'equal', 'fail'), { evidence: [{ hypothesis: 'network.packet_loss', cf: 0 }] })))).toEqual([
      'file0.yaml at /rules/0/evidence/0/cf: expected a non-zero certainty factor from -1 to 1 (0 says nothing: leave the hypothesis out of the evidence), got number 0',
    ]);
  });

  it('a misspelt field names the one it most likely is; one far from every field is only refused', () => {
    const { evidence, ...withoutEvidence } = rule(leaf('ping.result', 'equal', 'fail'));
    expect(kbProblems(withRules({ ...withoutEvidence, evidance: evidence, cases: { fires: [{ 'ping.result': 'fail' }], slient: [{ 'ping.result': 'ok' }] }, weather: 'rain' }))).toEqual([
      'file0.yaml at /rules/0: expected property "evidence", got an object',
      'file0.yaml at /rules/0/evidance: expected no property "evidance" (did you mean "evidence"?), got an unknown field',
      'file0.yaml at /rules/0/weather: expected no property "weather", got an unknown field',
      'file0.yaml at /rules/0/cases: expected property "silent", got an object',
      'file0.yaml at /rules/0/cases/slient: expected no property "slient" (did you mean "silent"?), got an unknown field',
    ]);
  });

  it('refuses an unknown operator at load time, not at run time', () => {
    expect(kbProblems(withRules(rule(leaf('ping.result', 'equals', 'fail')))).join()).toContain('file0.yaml at /rules/0/conditions/all/0/operator: expected one of "equal"');
  });

  it('names unknown hypotheses, facts and condition references', () => {
    expect(kbProblems(withRules(rule(leaf('ping.resutl', 'equal', 'fail'), { evidence: [{ hypothesis: 'network.nope', cf: 0.5 }] })))).toEqual([
      'file0.yaml at /rules/0/conditions/all/0: expected a known fact name (did you mean "ping.result"?), got unknown fact "ping.resutl"',
      'file0.yaml at /rules/0/evidence/0/hypothesis: unknown hypothesis "network.nope"',
    ]);
    expect(kbProblems(withRules(rule({ all: [{ condition: 'missing_one' }] })))).toEqual(['file0.yaml at /rules/0/conditions/all/0/condition: unknown condition "missing_one"']);
  });

  it('checks that operators and values fit the fact type: each problem in expected/got form, at the operator or the value, with how to mend it', () => {
    const problems = (fact: string, operator: string, value: unknown) => kbProblems(withRules(rule(leaf(fact, operator, value))));
    expect(problems('ping.result', 'greaterThan', 3)).toEqual(['file0.yaml at /rules/0/conditions/all/0/operator: expected equal or in for ping.result (one of ok, partial_loss, fail), got greaterThan, which compares numbers']);
    expect(problems('http.status', 'contains', '50')).toEqual([
      'file0.yaml at /rules/0/conditions/all/0/operator: expected equal, lessThan, lessThanInclusive, greaterThan, greaterThanInclusive or in for http.status (an integer), got contains, which looks for text in a string',
    ]);
    expect(problems('ping.result', 'equal', 'lossy')).toEqual(['file0.yaml at /rules/0/conditions/all/0/value: expected a value ping.result takes, one of ok, partial_loss, fail, got string "lossy"']);
    expect(problems('ping.result', 'equal', 'Fail')).toEqual(['file0.yaml at /rules/0/conditions/all/0/value: expected a value ping.result takes, one of ok, partial_loss, fail (did you mean "fail"?), got string "Fail"']);
    expect(problems('http.status', 'equal', 'ok')).toEqual(['file0.yaml at /rules/0/conditions/all/0/value: expected a value http.status takes, an integer, got string "ok"']);
    // The value in the wrong type, quoted or not: how to write it.
    expect(problems('tcp.rst_seen', 'equal', 'true')).toEqual(['file0.yaml at /rules/0/conditions/all/0/value: expected a value tcp.rst_seen takes, a boolean, got string "true": write true unquoted']);
    expect(problems('http.status', 'greaterThan', '500')).toEqual(['file0.yaml at /rules/0/conditions/all/0/value: expected a value http.status takes, an integer, got string "500": write 500 unquoted']);
    expect(problems('target.host', 'equal', 8080)).toEqual(['file0.yaml at /rules/0/conditions/all/0/value: expected a value target.host takes, a string, got number 8080: write "8080" in quotes']);
    // A list where one value goes, and one value where a list goes.
    expect(problems('ping.result', 'notEqual', ['ok', 'fail'])).toEqual(['file0.yaml at /rules/0/conditions/all/0/value: expected a value ping.result takes, one of ok, partial_loss, fail, got an array of 2 items: for a list of values use notIn']);
    expect(problems('http.status', 'in', 503)).toEqual(['file0.yaml at /rules/0/conditions/all/0/value: expected a list of values, got number 503: write [503] (or use equal for one value)']);
    expect(problems('tcp.rst_seen', 'in', [true, 'false'])).toEqual(['file0.yaml at /rules/0/conditions/all/0/value/1: expected a value tcp.rst_seen takes, a boolean, got string "false": write false unquoted']);
    expect(problems('http.status', 'lessThan', { fact: 'ping.result' })).toEqual(['file0.yaml at /rules/0/conditions/all/0/value/fact: expected a fact of http.status\'s type (integer), got ping.result (enum)']);
  });

  it('refuses duplicate ids and names where the first one was', () => {
    const r = rule(leaf('ping.result', 'equal', 'fail'));
    expect(kbProblems(withRules(r, r))).toEqual(['file0.yaml at /rules/1: duplicate rule "r1" (first defined in file0.yaml:13:3 at /rules/0)']);
  });

  it('refuses condition reference cycles', () => {
    const problems = kbProblems(() =>
      kbOf({
        hypotheses: [hypothesis('network.packet_loss')],
        conditions: { a: { all: [{ condition: 'b' }] }, b: { any: [{ condition: 'a' }] } },
      }),
    );
    expect(problems).toEqual(['file0.yaml at /conditions/a: condition reference cycle: a -> b -> a']);
  });

  it('checks that command templates read only known facts and parse', () => {
    const bad = (command: string) => () => kbOf({ hypotheses: [hypothesis('network.packet_loss', { checks: [{ command, confirms: 'x', rulesOut: 'y' }] })] });
    expect(kbProblems(bad('ping {{target.hots}}'))).toEqual(['file0.yaml at /hypotheses/0/checks/0/command: expected a known fact name (did you mean "target.host"?), got unknown fact "target.hots"']);
    expect(kbProblems(bad('ping {{target.host')).join()).toBe('file0.yaml at /hypotheses/0/checks/0/command: parse error on line 1 at "ping {{target.h": expected a name, got a character that cannot stand there');
  });

  it('reports YAML syntax errors and missing directories with the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rca-kb-'));
    writeFileSync(join(dir, 'broken.yaml'), 'rules:\n  - id: x\n   description: bad indent\n');
    // At the line and column the parser stopped, as every other load error: editors jump there.
    expect(printedProblems(dir)).toEqual([`${join(dir, 'broken.yaml')}:3:4: does not parse: bad indentation of a sequence entry`]);
    expect(kbProblems(() => loadKnowledgeBase([join(dir, 'nope')]))[0]).toMatch(/nope at : knowledge-base directory not found$/);
  });

  it('names a key given twice in a YAML file, as a facts document does, at its line:column (after a byte order mark too)', () => {
    for (const [name, text] of [['twice.yaml', 'rules:\n  - id: b.r1\n    id: b.r2\n'], ['bom.yaml', '\ufeffrules:\n  - id: b.r1\n    id: b.r2\n']]) {
      const dir = mkdtempSync(join(tmpdir(), 'rca-kb-'));
      writeFileSync(join(dir, name as string), text as string);
      expect(printedProblems(dir)).toEqual([`${join(dir, name as string)}:3:5: expected each key at most once in a mapping, got the key "id" twice`]);
    }
  });
});

/** Writes files into a new KB directory and returns it. */
function kbDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'rca-kb-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** Named conditions where each level repeats the one before `fanOut` times ("billion laughs"). */
function aliasBomb(levels: number, fanOut: number, name = 'c'): string {
  const lines = ['kb: {name: bomb, version: 1.0.0}', 'conditions:', `  ${name}0: &${name}0 {all: [{fact: ping.result, operator: equal, value: ok}]}`];
  for (let i = 1; i <= levels; i++) lines.push(`  ${name}${i}: &${name}${i} {all: [${Array.from({ length: fanOut }, () => `*${name}${i - 1}`).join(', ')}]}`);
  return `${lines.join('\n')}\n`;
}

/** Loads a directory and returns its problems and how long the refusal took. */
/** The problems as the CLI prints them, at file:line:column where known. */
function printedProblems(dir: string): string[] {
  try {
    loadKnowledgeBase([dir]);
  } catch (error) {
    return (error as KbError).problems.map(formatKbProblem);
  }
  return [];
}

function timedProblems(dir: string): { problems: string[]; ms: number } {
  const start = cpuStopwatch();
  const problems = kbProblems(() => loadKnowledgeBase([dir]));
  return { problems, ms: start.ms() };
}

describe('knowledge-base file order', () => {
  it('is the code-unit order of the names, whatever the locale collates (å after z, B before b)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rca-order-'));
    for (const name of ['b.yaml', 'å.yaml', 'B.yaml', 'z.yaml']) writeFileSync(join(dir, name), 'hypotheses: []\n');
    expect(readKbDirectory(dir, 'ignore').sources.map((s) => s.file.slice(dir.length + 1))).toEqual(['B.yaml', 'b.yaml', 'z.yaml', 'å.yaml']);
  });

  it('walks layer directories depth first, each directory by the code-unit order of its entries', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rca-order-'));
    for (const sub of ['a', 'b', 'å', 'b/B']) mkdirSync(join(dir, sub));
    for (const name of ['a.yaml', 'a/y.yaml', 'b/x.yaml', 'b/B/w.yaml', 'B.yaml', 'å/z.yaml']) writeFileSync(join(dir, name), 'hypotheses: []\n');
    const { sources, files } = readKbDirectory(dir, 'ignore');
    expect(sources.map((s) => s.file.slice(dir.length + 1))).toEqual(['B.yaml', 'a/y.yaml', 'a.yaml', 'b/B/w.yaml', 'b/x.yaml', 'å/z.yaml']);
    expect(files.map((f) => f.relPath)).toEqual(['B.yaml', 'a/y.yaml', 'a.yaml', 'b/B/w.yaml', 'b/x.yaml', 'å/z.yaml']);
  });

  it('names the first definition of a duplicate by the walk order, in a subdirectory too', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rca-order-'));
    mkdirSync(join(dir, 'network'));
    const entry = 'hypotheses:\n  - {id: network.packet_loss, symptoms: [slow], category: network, title: {en: t}, description: {en: d}, checks: []}\n';
    writeFileSync(join(dir, 'network', 'packet_loss.yaml'), entry);
    writeFileSync(join(dir, 'network.yaml'), entry);
    expect(kbProblems(() => loadKnowledgeBase([dir]))).toEqual([`${dir}/network.yaml at /hypotheses/0: duplicate hypothesis "network.packet_loss" (first defined in ${dir}/network/packet_loss.yaml:2:3 at /hypotheses/0)`]);
  });
});

describe("the model's numbers of the verdict", () => {
  it('refuses a vainCheckCost that is no share of the loss of missing the cause, naming the file, the field, what it expects and what it got', () => {
    const kb = (cost: string) => kbDir({ 'kb.yaml': `kb: {name: vc, version: 1.0.0}\nhypotheses: [{id: network.packet_loss, category: network, title: t, description: d, checks: []}]\nmodel: {vainCheckCost: ${cost}}\n` });
    const dir = kb('2');
    expect(kbProblems(() => loadKnowledgeBase([dir]))).toEqual([`${dir}/kb.yaml at /model/vainCheckCost: expected a number <= 1, got number 2`]);
    const zero = kb('0');
    expect(kbProblems(() => loadKnowledgeBase([zero]))).toEqual([`${zero}/kb.yaml at /model/vainCheckCost: expected a number > 0, got number 0`]);
    expect(loadKnowledgeBase([kb('0.1')]).model?.vainCheckCost).toBe(0.1);
  });
});

describe('knowledge-base limits: hostile files are refused at parse time', () => {
  it('refuses a file with more YAML aliases than the limit, naming the file and the line', () => {
    const dir = kbDir({ 'kb.yaml': aliasBomb(30, 4) });
    const { problems, ms } = timedProblems(dir);
    expect(problems).toEqual([expect.stringMatching(/kb\.yaml at : expected at most 100 YAML aliases \(\*name\) in a file, got more$/)]);
    expect(printedProblems(dir)).toEqual([`${join(dir, 'kb.yaml')}:29:21: expected at most 100 YAML aliases (*name) in a file, got more`]);
    expect(ms).toBeLessThan(10_000);
  });

  it('refuses a small alias bomb whose expansion exceeds the value limit (462 bytes, 4^11 leaves)', () => {
    const bomb = aliasBomb(11, 4);
    expect(bomb.length).toBeLessThan(600);
    const { problems, ms } = timedProblems(kbDir({ 'kb.yaml': bomb }));
    expect(problems).toEqual([expect.stringMatching(/kb\.yaml at : expected at most 250000 values in a knowledge-base directory once YAML aliases are expanded, got more$/)]);
    expect(ms).toBeLessThan(10_000);
  });

  it('refuses a recursive alias and nesting deeper than the limit, in YAML and JSON', () => {
    expect(timedProblems(kbDir({ 'kb.yaml': 'conditions:\n  loop: &loop {all: [*loop]}\n' })).problems).toEqual([
      expect.stringMatching(/kb\.yaml at : expected values nested at most 64 deep, got deeper$/),
    ]);
    const deepJson = `{"conditions": {"deep": ${'{"all": ['.repeat(5000)}{"fact": "ping.result", "operator": "equal", "value": "ok"}${']}'.repeat(5000)}}}`;
    // Refused where it goes too deep, as YAML is: the 32nd `{"all": [` opens the 65th level (its `{`, 24 + 31 x 9 characters in).
    const deepDir = kbDir({ 'deep.json': deepJson });
    expect(printedProblems(deepDir)).toEqual([`${join(deepDir, 'deep.json')}:1:304: expected values nested at most 64 deep, got deeper`]);
    expect(timedProblems(deepDir).ms).toBeLessThan(10_000);
    expect(printedProblems(kbDir({ 'deep.yaml': `conditions:\n  deep: ${'{all: ['.repeat(200)}{fact: ping.result, operator: equal, value: ok}${']}'.repeat(200)}\n` }))).toEqual([
      expect.stringMatching(/deep\.yaml:2:\d+: expected values nested at most 64 deep, got deeper$/),
    ]);
  });

  it('refuses named conditions that reference each other into an exponential expansion (no aliases needed)', () => {
    const lines = ['kb: {name: refs, version: 1.0.0}', 'hypotheses: [{id: network.packet_loss, category: network, title: t, description: d, checks: []}]', 'conditions:', '  c0: {all: [{fact: ping.result, operator: equal, value: ok}]}'];
    for (let i = 1; i <= 30; i++) lines.push(`  c${i}: {all: [${Array.from({ length: 4 }, () => `{condition: c${i - 1}}`).join(', ')}]}`);
    lines.push('rules: [{id: r1, description: x, conditions: {condition: c30}, evidence: [{hypothesis: network.packet_loss, cf: 0.5}]}]');
    const { problems, ms } = timedProblems(kbDir({ 'kb.yaml': `${lines.join('\n')}\n` }));
    expect(problems).toEqual([expect.stringMatching(/kb\.yaml at \/conditions\/c9: expected a condition of at most 250000 parts once its references are expanded, got more$/)]);
    expect(ms).toBeLessThan(10_000);
    // c8 expands to 240,297 parts: one rule may use it, two together exceed the total.
    const two = [...lines.slice(0, 12), 'rules:', ...[1, 2].map((i) => `  - {id: r${i}, description: x, conditions: {condition: c8}, evidence: [{hypothesis: network.packet_loss, cf: 0.5}]}`)];
    expect(timedProblems(kbDir({ 'kb.yaml': `${two.join('\n')}\n` })).problems).toEqual([
      expect.stringMatching(/kb\.yaml at \/rules\/1\/conditions: expected the rules and questions to total at most 250000 condition parts once references are expanded, got more$/),
    ]);
  });

  it('refuses a chain of named conditions deeper than the limit (30,000 long overflowed the stack)', () => {
    const chain = (length: number) => {
      const lines = ['kb: {name: chain, version: 1.0.0}', 'hypotheses: [{id: network.packet_loss, category: network, title: t, description: d, checks: []}]', 'conditions:', '  c0: {all: [{fact: ping.result, operator: equal, value: ok}]}'];
      for (let i = 1; i < length; i++) lines.push(`  c${i}: {condition: c${i - 1}}`);
      lines.push(`rules: [{id: r1, description: x, conditions: {condition: c${length - 1}}, evidence: [{hypothesis: network.packet_loss, cf: 0.5}]}]`);
      return kbDir({ 'kb.yaml': `${lines.join('\n')}\n` });
    };
    expect(loadKnowledgeBase([chain(32)]).conditions.size).toBe(32);
    for (const length of [33, 30_000]) {
      const { problems, ms } = timedProblems(chain(length));
      expect(problems).toEqual([expect.stringMatching(/kb\.yaml at \/conditions\/c32: expected named conditions to reference each other at most 32 deep, got deeper$/)]);
      expect(ms).toBeLessThan(10_000);
    }
  });

  it('counts the value limit over all files of a directory', () => {
    // kb.yaml expands to ~146,000 values, each other file to ~69,000: two files load, three do not.
    const file = (name: string) => aliasBomb(8, 3, name).replace('kb: {name: bomb, version: 1.0.0}\n', '');
    expect(loadKnowledgeBase([kbDir({ 'kb.yaml': aliasBomb(7, 4), 'more.yaml': file('d') })]).conditions.size).toBe(17);
    expect(timedProblems(kbDir({ 'kb.yaml': aliasBomb(7, 4), 'more.yaml': file('d'), 'zz.yaml': file('e') })).problems).toEqual([
      expect.stringMatching(/zz\.yaml at : expected at most 250000 values in a knowledge-base directory once YAML aliases are expanded, got more$/),
    ]);
  });

  it('refuses a file over the size limit and a directory over the file-count and total-size limits', () => {
    const big = `# ${'x'.repeat(1024 * 1024)}\nkb: {name: big, version: 1.0.0}\n`;
    expect(timedProblems(kbDir({ 'big.yaml': big })).problems).toEqual([expect.stringMatching(/big\.yaml at : expected at most 1048576 bytes, got 1048611$/)]);
    const many = kbDir(Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`f${String(i).padStart(3, '0')}.yaml`, 'rules: []\n'])));
    expect(timedProblems(many).problems).toEqual([expect.stringMatching(/rca-kb-\w+ at : expected at most 200 rule files in a knowledge-base directory, got more$/)]);
    const nested = kbDir({ 'kb.yaml': 'kb: {name: nested, version: 1.0.0}\n' });
    for (let i = 0; i < 51; i++) mkdirSync(join(nested, ...Array.from({ length: (i % 3) + 1 }, (_, level) => `d${i}-${level}`)), { recursive: true });
    expect(timedProblems(nested).problems).toEqual([expect.stringMatching(/rca-kb-\w+ at : expected at most 50 subdirectories in a knowledge-base directory, got more$/)]);
    const justUnder = `# ${'x'.repeat(1024 * 1024 - 16)}\nrules: []\n`;
    const heavy = kbDir(Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`f${i}.yaml`, justUnder])));
    expect(timedProblems(heavy).problems).toEqual([expect.stringMatching(/rca-kb-\w+ at : expected at most 8388608 bytes of rule files in a knowledge-base directory, got more$/)]);
  });

  it('refuses a kb.yaml that does not name the knowledge base, and an empty file', () => {
    expect(timedProblems(kbDir({ 'kb.yaml': '# the shipped knowledge base\nhypotheses: []\n' })).problems).toEqual([
      expect.stringMatching(/kb\.yaml at \/kb: expected the kb section naming the knowledge base \(kb: \{name, version\}\), got none$/),
    ]);
    expect(timedProblems(kbDir({ 'kb.yaml': '# the shipped knowledge base\n' })).problems).toEqual([
      expect.stringMatching(/kb\.yaml at : does not parse: expected a document, but the input is empty/),
    ]);
  });
});
