import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli/run.js';
import { hypothesis, pack } from '../fixtures.js';

const USAGE = "\nRun 'rca kb --help' for usage.\n";

/** A new directory holding the given scenario files (name -> scenario). */
function scenarioDir(files: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'rca-scen-'));
  for (const [name, scenario] of Object.entries(files)) writeFileSync(join(dir, name), dump(scenario));
  return dir;
}

const scenario = (top1: string, facts: Record<string, unknown>) => ({ story: 'a story', source: 'test', facts, expect: { top1 } });

/** How many scenario files the package ships, counted as the summary counts them. */
const shippedCount = () => readdirSync(join('test', 'scenarios'), { recursive: true }).filter((f) => /\.ya?ml$/.test(String(f))).length;

/** A knowledge base of its own (not built on the shipped rules/): two causes told apart by ping. */
function ownKb(): string {
  return pack({
    hypotheses: [hypothesis('network.packet_loss'), hypothesis('network.icmp_filtered')],
    rules: [
      { id: 'r1', description: 'x', conditions: { all: [{ fact: 'ping.result', operator: 'equal', value: 'fail' }] }, evidence: [{ hypothesis: 'network.packet_loss', cf: 0.6 }], cases: { fires: [{ 'ping.result': 'fail' }], silent: [{ 'ping.result': 'ok' }] } },
    ],
  });
}

describe('rca kb test: the scenarios a pack curator runs', () => {
  it('a pack over the shipped rules is tested against the shipped scenarios too: one it breaks fails, though its own pass; the summary counts each directory', async () => {
    // The reviewer's pack: a connect that is not ok read as the accept queue, which takes the top from a shipped cause.
    const acme = pack({
      rules: [
        {
          id: 'acme.connect_not_ok',
          description: 'A TCP connect that does not succeed is the accept queue',
          conditions: { all: [{ fact: 'tcp.connect', operator: 'notEqual', value: 'ok' }] },
          evidence: [{ hypothesis: 'system.listen_backlog_overflow', cf: 0.6 }],
          cases: { fires: [{ 'tcp.connect': 'timeout' }], silent: [{ 'tcp.connect': 'ok' }] },
        },
      ],
    });
    const own = scenarioDir({ 'queue.yaml': scenario('system.listen_backlog_overflow', { 'symptom.kind': 'timeout', 'tcp.connect': 'timeout', 'kernel.listen_overflows': true }) });
    const shipped = shippedCount();
    // As docs/knowledge-base.md says to run it; the shipped scenarios named again as well are read once.
    const run = await runCli(['kb', 'test', '--kb', 'rules', '--kb', acme, '--scenarios', own, '--scenarios', 'test/scenarios']);
    expect([run.code, run.stderr]).toEqual([1, '']);
    expect(run.stdout).toContain(`\n${join(own, 'queue.yaml')}  ok  ok  system.listen_backlog_overflow  system.listen_backlog_overflow, `);
    expect(run.stdout).toMatch(new RegExp(`^rules: (\\d+)/\\1 pass their cases; scenarios: top-1 ${shipped}/${shipped + 1}, top-3 \\d+/${shipped + 1} \\(test/scenarios ${shipped}, ${own} 1\\)$`, 'm'));
    // The shipped scenario it broke, with the pack's rule among those that put the wrong cause first.
    const broken = /^ {2}(test\/scenarios\/\S+\.yaml) {2}expected top-1 (\S+), got system\.listen_backlog_overflow\n {6}top 3: system\.listen_backlog_overflow \S+, .*\n {6}got system\.listen_backlog_overflow \(ranked 1, \S+\): rules for [^;]*acme\.connect_not_ok \+0\.60[^;]*; against .*\n {6}expected \2 \(/m.exec(run.stdout);
    expect(broken, run.stdout.slice(-3000)).not.toBeNull();

    // Left out on purpose, only the pack's own are run.
    const alone = await runCli(['kb', 'test', '--kb', 'rules', '--kb', acme, '--scenarios', own, '--no-shipped-scenarios', '-f', 'json']);
    expect(alone.code).toBe(0);
    const asJson = JSON.parse(alone.stdout);
    expect([asJson.passed, asJson.scenarioDirs, asJson.scenarios.map((s: { file: string }) => s.file)]).toEqual([true, [{ dir: own, shipped: false, scenarios: 1 }], [join(own, 'queue.yaml')]]);
  }, 60_000);

  it('a knowledge base of its own reads only its --scenarios, each directory in turn, and says why the shipped ones are not read; --shipped-scenarios reads them', async () => {
    const kb = ownKb();
    const loss = scenarioDir({ 'loss.yaml': scenario('network.packet_loss', { 'ping.result': 'fail' }) });
    const more = scenarioDir({ 'a.yaml': scenario('network.packet_loss', { 'ping.result': 'fail', 'tcp.connect': 'ok' }), 'b.yaml': scenario('network.packet_loss', { 'ping.result': 'fail', 'tcp.connect': 'timeout' }) });
    const run = await runCli(['kb', 'test', '--kb', kb, '--scenarios', loss, '--scenarios', more, '--scenarios', loss]);
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(run.stdout.split('\n').slice(-9)).toEqual([
      'scenario  top-1  top-3  expected  got',
      `${join(loss, 'loss.yaml')}  ok  ok  network.packet_loss  network.packet_loss, network.icmp_filtered`,
      `${join(more, 'a.yaml')}  ok  ok  network.packet_loss  network.packet_loss, network.icmp_filtered`,
      `${join(more, 'b.yaml')}  ok  ok  network.packet_loss  network.packet_loss, network.icmp_filtered`,
      '',
      `rules: 1/1 pass their cases; scenarios: top-1 3/3, top-3 3/3 (${loss} 1, ${more} 2)`,
      'the shipped scenarios (test/scenarios) are not read: the knowledge base is not built on the shipped rules/ (--shipped-scenarios reads them)',
      'silent cases: 1 near misses (facts known, rule false), 0 absences (a fact missing, rule undecided)',
      '',
    ]);
    // Asked for, they are read, and name causes this knowledge base does not have: input errors, not 117 wrong answers.
    const shipped = await runCli(['kb', 'test', '--kb', kb, '--shipped-scenarios']);
    expect([shipped.code, shipped.stdout]).toEqual([2, '']);
    expect(shipped.stderr).toMatch(/^rca: input error: test\/scenarios\/\S+\.yaml:\d+:\d+ at \/expect\/\w+(\/\d+)?: expected a hypothesis id of the knowledge base.*, got "/);
  });

  it('refuses a --scenarios with no scenario to read, and one given to an action that reads none (usage errors, exit 2)', async () => {
    const expected = '--scenarios: expected a directory of scenario files (*.yaml or *.yml, at any depth) or one scenario file';
    const empty = mkdtempSync(join(tmpdir(), 'rca-scen-'));
    mkdirSync(join(empty, 'network'));
    writeFileSync(join(empty, 'README.md'), 'scenarios go here\n');
    const missing = join(empty, 'nothing');
    for (const [given, got] of [
      [empty, `no scenario files in ${empty}`],
      [missing, `${missing} (nothing there (not found))`],
      ['-', '- (stdin)'],
    ]) {
      expect(await runCli(['kb', 'test', '--kb', ownKb(), '--scenarios', given as string]), given).toEqual({ code: 2, stdout: '', stderr: `rca: usage error: ${expected}, got ${got}${USAGE}` });
    }
    // A pack's directory given for its scenarios: its rule file is named as one.
    const kb = ownKb();
    expect(await runCli(['kb', 'test', '--kb', kb, '--scenarios', kb])).toEqual({
      code: 2,
      stdout: '',
      stderr: `rca: input error: ${join(kb, 'pack.yaml')}: expected a scenario (story, source, facts, expect), got a rule file (hypotheses, rules): give its directory with --kb\n`,
    });
    expect(await runCli(['kb', 'validate', '--kb', kb, '--scenarios', kb])).toEqual({ code: 2, stdout: '', stderr: `rca: usage error: --scenarios: only for kb test, coverage, diff, show, doc, got kb validate${USAGE}` });
    expect(await runCli(['kb', 'lint', '--no-shipped-scenarios'])).toEqual({ code: 2, stdout: '', stderr: `rca: usage error: --no-shipped-scenarios: only for kb test, coverage, diff, show, doc, got kb lint${USAGE}` });
  });

  it('a scenario kept in a pack\'s directory is one problem saying where it goes, not four unknown sections (exit 3)', async () => {
    const kb = ownKb();
    mkdirSync(join(kb, 'scenarios'));
    writeFileSync(join(kb, 'scenarios', 'loss.yaml'), dump(scenario('network.packet_loss', { 'ping.result': 'fail' })));
    expect(await runCli(['kb', 'validate', '--kb', kb])).toEqual({
      code: 3,
      stderr: '',
      stdout: `${join(kb, 'scenarios', 'loss.yaml')}: expected a rule file, got a scenario (story, facts, expect): move it out of the knowledge-base directory and give its directory to rca kb test --scenarios DIR\ninvalid: 1 problem\n`,
    });
  });

  it('kb --help says which scenarios are read by default, and how to add or leave out the shipped ones', async () => {
    const help = (await runCli(['kb', '--help'])).stdout.replace(/\s+/g, ' ');
    expect(help).toContain(
      '--scenarios test, coverage, diff, show, doc: a directory of scenario files (or one file), read with the shipped test/scenarios; repeat for more. The shipped ones are read when the knowledge base is built on the shipped rules/ (no --kb, or one naming it: a pack must not break them), not for one without it (a replacement knowledge base)',
    );
    expect(help).toContain('--shipped-scenarios test, coverage, diff, show, doc: read the shipped test/scenarios (--no-shipped-scenarios: leave them out) whatever the knowledge base [default: when it is built on the shipped rules/]');
  });
});
