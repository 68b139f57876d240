import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run.js';

const tmp = mkdtempSync(join(tmpdir(), 'rca-yaml-facts-'));
const EXAMPLE = join('examples', '01-apm-agent-cpu.json');

/** The shipped example, written by hand as a person would in YAML. */
const EXAMPLE_YAML = `# the same incident as ${EXAMPLE}
summary: Checkout API slow since the APM agent upgrade; ping and capture are clean
facts:
  target: { host: checkout.internal, port: 8080, url: "http://checkout.internal:8080/health", protocol: http }
  symptom: { kind: slow, scope: all_clients }
  ping: { result: ok, loss_pct: 0, rtt_avg_ms: 0.4 }
  tcp:
    connect: ok
    connect_ms: 0.6
    retransmit_pct: 0.1
  http: { status: 200, latency_ms: 2400, ttfb_ms: 2350 }
  host: { cpu_pct: 97, load_per_cpu: 2.6, cpu_steal_pct: 0.5 }
  proc: { top_pid: 31337, top_name: "java -javaagent:newrelic.jar", top_role: apm_agent, top_cpu_pct: 180, app_pid: 4242, app_cpu_pct: 35 }
  app: { apm_agent: true }
`;

function file(name: string, text: string): string {
  const path = join(tmp, name);
  writeFileSync(path, text);
  return path;
}

const inputError = (...lines: string[]) => lines.map((line) => `rca: input error: ${line}\n`).join('');

describe('facts as YAML as well as JSON', () => {
  it('a .yaml file gives the report its JSON twin gives, in every format', async () => {
    const yaml = file('incident.yaml', EXAMPLE_YAML);
    for (const format of ['text', 'json']) {
      const fromJson = await runCli(['diagnose', EXAMPLE, '-f', format]);
      const fromYaml = await runCli(['diagnose', yaml, '-f', format]);
      expect(fromYaml).toEqual({ code: 0, stdout: fromJson.stdout, stderr: '' });
    }
  });

  it('is recognised by its content on stdin and in a file of another extension (.yml too)', async () => {
    const expected = (await runCli(['diagnose', EXAMPLE, '-f', 'json'])).stdout;
    expect((await runCli(['diagnose', '-', '-f', 'json'], { input: EXAMPLE_YAML })).stdout).toBe(expected);
    expect((await runCli(['diagnose', file('ticket.txt', EXAMPLE_YAML), '-f', 'json'])).stdout).toBe(expected);
    expect((await runCli(['diagnose', file('ticket.yml', EXAMPLE_YAML), '-f', 'json'])).stdout).toBe(expected);
  });

  it('bare facts, flat or nested, as in JSON', async () => {
    const flat = await runCli(['diagnose', '-', '-f', 'json'], { input: 'ping.result: fail\ntcp.connect: ok\n' });
    const nested = await runCli(['diagnose', '-', '-f', 'json'], { input: 'ping: { result: fail }\ntcp:\n  connect: ok\n' });
    const json = await runCli(['diagnose', '-', '-f', 'json'], { input: '{"ping.result": "fail", "tcp.connect": "ok"}' });
    expect(flat).toEqual({ code: 0, stdout: json.stdout, stderr: '' });
    expect(nested).toEqual(flat);
  });

  it('is validated as JSON facts are: the same errors for an unknown fact, a wrong type, a value out of range', async () => {
    const yaml = await runCli(['diagnose', '-'], { input: 'facts:\n  http.stauts: 5\n  http.status: 7000\n  ping.result: 7\n' });
    const json = await runCli(['diagnose', '-'], { input: '{"facts": {"http.stauts": 5, "http.status": 7000, "ping.result": 7}}' });
    expect(yaml.code).toBe(2);
    expect(yaml).toEqual(json);
    expect((await runCli(['diagnose', '-'], { input: 'facts: { ping.result: ok }\nlang: fr\n' })).stderr).toBe(
      inputError('stdin at /lang: expected a language rca has (en, zh-CN), or a tag it serves in one: en-GB or another tag of English; zh, zh-Hans, zh-SG or zh-MY, got string "fr"'),
    );
  });

  it('reads only what JSON can say: no dates, binary or NaN sneak in as other types', async () => {
    expect((await runCli(['diagnose', '-'], { input: 'summary: 2026-11-30\nfacts: { ping.result: ok }\n', env: {} })).code).toBe(0);
    const nan = await runCli(['diagnose', '-'], { input: 'http.status: .nan\n' });
    expect(nan.code).toBe(2);
    expect(nan.stderr).toBe(inputError('stdin at http.status: expected a finite integer, got NaN (not a number)'));
    const binary = await runCli(['diagnose', '-'], { input: 'summary: !!binary aGk=\nfacts: {}\n' });
    expect(binary.code).toBe(2);
    expect(binary.stderr).toBe(inputError('stdin:1:10: expected valid YAML, got unknown scalar tag !<tag:yaml.org,2002:binary>'));
  });

  it('refuses a key given twice, as JSON does, with its line and column', async () => {
    const path = file('twice.yaml', 'facts:\n  ping.result: ok\n  tcp.connect: ok\n  ping.result: fail\n');
    const run = await runCli(['diagnose', path]);
    expect(run).toEqual({ code: 2, stdout: '', stderr: inputError(`${path}:4:3: expected each key at most once in a mapping, got the key "ping.result" twice`) });
    const quoted = await runCli(['diagnose', '-'], { input: "facts: { 'tcp.connect': ok, 'tcp.connect': refused }\n" });
    expect(quoted.stderr).toBe(inputError('stdin:1:30: expected each key at most once in a mapping, got the key "tcp.connect" twice'));
  });

  it('says where a syntax error is, line:column', async () => {
    const run = await runCli(['diagnose', file('broken.yaml', 'facts:\n  ping.result: [ok\n')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(inputError(`${join(tmp, 'broken.yaml')}:3:1: expected valid YAML, got deficient indentation`));
  });

  it('a .json file is JSON: YAML in it is a JSON error, not read as YAML', async () => {
    const path = file('facts.json', 'ping.result: ok\n');
    expect(await runCli(['diagnose', path])).toEqual({ code: 2, stdout: '', stderr: inputError(`${path}:1:1: expected a value, got 'ping.result'`) });
  });

  it('bounds aliases: a billion laughs is refused at once, before anything walks it', async () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const start = Date.now();
    const run = await runCli(['diagnose', '-'], { input: `${levels.join('\n')}\n` });
    expect(Date.now() - start).toBeLessThan(5000);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(inputError('stdin:4:15: expected at most 20 YAML aliases (*name), got more'));
    // Few aliases, each of a large list: bounded by what they expand to.
    const few = `x: &x [${Array(2000).fill('1').join(',')}]\ny: [*x, *x, *x, *x, *x, *x]\n`;
    const expanded = await runCli(['diagnose', '-'], { input: few });
    expect(expanded.code).toBe(2);
    expect(expanded.stderr).toBe(inputError('stdin: expected at most 10000 values once YAML aliases are expanded, got more'));
  });

  it('bounds nesting', async () => {
    const run = await runCli(['diagnose', '-'], { input: `${'['.repeat(200)}${']'.repeat(200)}\n`.replace(/^/, 'facts: ') });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^rca: input error: stdin:1:\d+: expected values nested at most 32 deep, got deeper\n$/);
  });

  it('rca interview --facts reads a YAML ticket', async () => {
    const yaml = await runCli(['interview', '--facts', file('ticket.yaml', EXAMPLE_YAML), '--max-questions', '0', '-f', 'json']);
    const json = await runCli(['interview', '--facts', EXAMPLE, '--max-questions', '0', '-f', 'json']);
    expect(yaml.code).toBe(0);
    expect(yaml.stdout).toBe(json.stdout);
    expect(readFileSync(EXAMPLE, 'utf8')).toContain('"summary"');
  });
});
