import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readsTarget } from '../../src/cli/target-option.js';
import type { Diagnosis } from '../../src/core/diagnose.js';
import { loadKnowledgeBase } from '../../src/core/kb.js';
import { packageRoot } from '../../src/core/paths.js';
import { interviewKbWithoutTarget } from '../fixtures.js';
import { expectOfSchema, printsAsSchema } from '../schema-output.js';
import { runCli } from './run.js';

const tmp = mkdtempSync(join(tmpdir(), 'rca-cli-'));
function file(name: string, content: string): string {
  const path = join(tmp, name);
  writeFileSync(path, content);
  return path;
}

/** One line on stderr, no stack trace, the documented exit code. */
function expectCleanError(run: { code: number | null; stdout: string; stderr: string }, code: number, line: string | RegExp) {
  expect(run.code).toBe(code);
  expect(run.stdout).toBe('');
  expect(run.stderr).not.toMatch(/\n\s+at /);
  const lines = run.stderr.trimEnd().split('\n');
  if (typeof line === 'string') expect(lines[0]).toBe(line);
  else expect(lines[0]).toMatch(line);
}

describe('rca diagnose --target and rca interview --target: the service the commands name', () => {
  it('-f json prints diagnosis.schema.json, as the API answers it, from rca diagnose and at the end of rca interview', async () => {
    await printsAsSchema('diagnosis.schema.json', ['diagnose', join('examples', '01-apm-agent-cpu.json'), '-f', 'json'], 0, '/hypotheses/0');
    const interview = await runCli(['interview', '--kb', join('test', 'fixtures', 'interview-kb'), '-f', 'json'], { input: 'fail\nok\n' });
    expect(interview.code).toBe(0);
    expectOfSchema('diagnosis.schema.json', JSON.parse(interview.stdout), '/hypotheses/0');
  });

  it('takes a URL or HOST[:PORT] as the target facts, reads no stdin without a document, and fills the commands', async () => {
    const byUrl = JSON.parse((await runCli(['diagnose', '-f', 'json', '--target', 'https://shop.example:8443/cart'])).stdout) as Diagnosis;
    expect(byUrl.facts).toEqual({ 'target.url': 'https://shop.example:8443/cart', 'target.host': 'shop.example', 'target.port': 8443, 'target.protocol': 'https' });
    expect(byUrl.verdict).toBe('no_evidence');
    const byHost = JSON.parse((await runCli(['diagnose', '-f', 'json', '--target', 'db1:5432'])).stdout) as Diagnosis;
    expect(byHost.facts).toEqual({ 'target.host': 'db1', 'target.port': 5432 });
    expect(byHost.missing.map((m) => m.how)).toContain('nc -vz -w 5 db1 5432');
    expect((JSON.parse((await runCli(['diagnose', '-f', 'json', '--target', '[2001:db8::1]:8443'])).stdout) as Diagnosis).facts).toEqual({ 'target.host': '2001:db8::1', 'target.port': 8443, 'target.host_is_ip': true });
  });

  it("warns when --target's URL names another host or port than a document states, as a document giving both gets; the document's is kept", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rca-target-'));
    const ticket = join(dir, 'ticket.json');
    writeFileSync(ticket, '{"facts": {"target.host": "a.example", "target.port": 80, "symptom.kind": "timeout"}}');
    const run = await runCli(['diagnose', '-f', 'json', ticket, '--target', 'https://b.example:8443/']);
    const diagnosis = JSON.parse(run.stdout) as Diagnosis;
    expect(diagnosis.warnings).toEqual([
      { field: 'target.host', message: 'target.url says "b.example", target.host says "a.example": kept "a.example"' },
      { field: 'target.port', message: 'target.url says 8443, target.port says 80: kept 80' },
    ]);
  });

  it('takes an unbracketed IPv6 address as an address without a port (a port needs brackets, RFC 3986), and refuses what is no address saying so', async () => {
    const facts = async (target: string) => (JSON.parse((await runCli(['diagnose', '-f', 'json', '--target', target])).stdout) as Diagnosis).facts;
    // Every colon is the address's: 2001:db8::1:443 is the address 2001:db8:0:0:0:0:1:443.
    // An address is stated as one: no DNS question looks it up.
    expect(await facts('2001:db8::1:443')).toEqual({ 'target.host': '2001:db8::1:443', 'target.host_is_ip': true });
    expect(await facts('::1')).toEqual({ 'target.host': '::1', 'target.host_is_ip': true });
    expect(await facts('[2001:db8::1]')).toEqual({ 'target.host': '2001:db8::1', 'target.host_is_ip': true });
    // A zone in brackets is written after %25, as in a URL (RFC 6874); unbracketed, as ip(8) shows it.
    expect(await facts('[fe80::1%25eth0]:80')).toEqual({ 'target.host': 'fe80::1%eth0', 'target.port': 80, 'target.host_is_ip': true });
    expect(await facts('fe80::1%eth0')).toEqual({ 'target.host': 'fe80::1%eth0', 'target.host_is_ip': true });
    const bracketHint = 'rca: input error: --target at target.host: expected HOST[:PORT] or an IPv6 address (with a port, in brackets: [2001:db8::1]:443), got string';
    // Nine groups: no address, so the last one was meant as a port.
    expectCleanError(await runCli(['diagnose', '--target', '2001:db8:0:0:0:0:0:1:443']), 2, `${bracketHint} "2001:db8:0:0:0:0:0:1:443"`);
    expectCleanError(await runCli(['diagnose', '--target', 'shop.example:80:90']), 2, `${bracketHint} "shop.example:80:90"`);
    expectCleanError(await runCli(['diagnose', '--target', '[shop.example]:443']), 2, 'rca: input error: --target at target.host: expected an IPv6 address in the brackets ([2001:db8::1]:443), a host name without them (shop.example:443), got string "[shop.example]:443"');
  });

  it('writes an internationalised host name in punycode for the commands, in HOST[:PORT] and in a URL; refuses one IDNA cannot convert', async () => {
    const byHost = JSON.parse((await runCli(['diagnose', '-f', 'json', '--target', 'bücher.example:443'])).stdout) as Diagnosis;
    expect(byHost.facts).toEqual({ 'target.host': 'xn--bcher-kva.example', 'target.port': 443 });
    expect(byHost.missing.map((m) => m.how)).toContain('nc -vz -w 5 xn--bcher-kva.example 443');
    const byUrl = JSON.parse((await runCli(['diagnose', '-f', 'json', '--target', 'https://bücher.example:8443/cart?x=1'])).stdout) as Diagnosis;
    expect(byUrl.facts).toEqual({ 'target.url': 'https://xn--bcher-kva.example:8443/cart?x=1', 'target.host': 'xn--bcher-kva.example', 'target.port': 8443, 'target.protocol': 'https' });
    expectCleanError(await runCli(['diagnose', '--target', 'xn--iñvalid.example']), 2, 'rca: input error: --target at target.host: expected a host name (RFC 1123) or an internationalised one (IDNA: bücher.example), or an IPv4 or IPv6 address, got string "xn--iñvalid.example"');
    expectCleanError(await runCli(['diagnose', '--target', 'https://a／b.example/']), 2, 'rca: input error: --target at target.url: expected an http:// or https:// URL whose host is a host name, an internationalised one (IDNA: https://bücher.example/) or an IP address, got string "https://a／b.example/"');
    // IDNA reads a URL's host: it stops at \ ? # and decodes %2e, so these were taken as another
    // host (xn--bcher-kva.example, xn--tda.evil.example). Refused, as their ASCII twins are.
    const hostHint = 'rca: input error: --target at target.host: expected a host name (RFC 1123) or an internationalised one (IDNA: bücher.example), or an IPv4 or IPv6 address, got string';
    const urlHint = 'rca: input error: --target at target.url: expected an http:// or https:// URL whose host is a host name, an internationalised one (IDNA: https://bücher.example/) or an IP address, got string';
    for (const host of ['bücher.example\\evil', 'bücher.example?x', 'bücher.example#f', 'ü%2eevil.example', 'bü cher.example']) expectCleanError(await runCli(['diagnose', '--target', host]), 2, `${hostHint} ${JSON.stringify(host)}`);
    for (const url of ['https://bücher.example\\evil/cart', 'https://ü%2eevil.example/']) expectCleanError(await runCli(['diagnose', '--target', url]), 2, `${urlHint} ${JSON.stringify(url)}`);
    // What the facts refuse once converted is said to be what was typed.
    expectCleanError(await runCli(['diagnose', '--target', 'bü_cher.example']), 2, `${hostHint} "bü_cher.example"`);
    expectCleanError(await runCli(['diagnose', '--target', 'https://bücher.example/päth']), 2, 'rca: input error: --target at target.url: expected an http:// or https:// URL in ASCII but for an internationalised host (IDNA: https://bücher.example/), its path and query percent-encoded, got string "https://bücher.example/päth"');
  });

  it('refuses a target the facts refuse, naming --target, and one a document says otherwise (exit 2)', async () => {
    expectCleanError(await runCli(['diagnose', '--target', 'x;rm']), 2, 'rca: input error: --target at target.host: expected a host name (RFC 1123) or an IPv4 or IPv6 address, got string "x;rm"');
    // A URL without its scheme is said to be one, not refused as a host name.
    expectCleanError(await runCli(['diagnose', '--target', 'shop.example/cart']), 2, 'rca: input error: --target at target.url: expected a URL with its scheme (https://shop.example/cart) or HOST[:PORT], got string "shop.example/cart"');
    expectCleanError(await runCli(['diagnose', '-', '--target', 'https://b.example/'], { input: '{"facts":{"target.url":"https://a.example/"}}' }), 2, 'rca: input error: target.url: expected one value from every input that gives it, got "https://a.example/" from stdin and "https://b.example/" from --target');
  });

  it('rca interview --target asks with the commands filled in', async () => {
    const run = await runCli(['interview', '--target', 'https://shop.example/'], { input: 'done\n' });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('$ openssl s_client -connect shop.example:443 -servername shop.example -showcerts </dev/null 2>&1');
    expect(run.stderr).not.toContain("'<target.host>'");
  });

  it("readsTarget: the interview asks for the service only when the KB reads a target.* fact: in a check's command, a question's how, a rule or a likelihood table", () => {
    const withoutTarget = (edit?: (yaml: string) => string) => loadKnowledgeBase([interviewKbWithoutTarget(edit)]);
    expect(readsTarget(loadKnowledgeBase([join(packageRoot, 'test', 'fixtures', 'interview-kb')]))).toBe(true);
    expect(readsTarget(withoutTarget())).toBe(false);
    // One command naming it is enough: a check's, or a question's how.
    expect(readsTarget(withoutTarget((yaml) => yaml.replace("'mtr -rwc 50 localhost'", "'mtr -rwc 50 {{target.host}}'")))).toBe(true);
    expect(readsTarget(withoutTarget((yaml) => yaml.replace("how: 'ping -c 20 localhost'", "how: 'ping -c 20 {{target.url}}'")))).toBe(true);
    // A placeholder of another fact is not the service.
    expect(readsTarget(withoutTarget((yaml) => yaml.replace("how: 'ping -c 20 localhost'", "how: 'ping -c {{ping.loss_pct}} localhost'")))).toBe(false);
    // A rule or a likelihood table weighing the service's scheme reads it too.
    expect(readsTarget(withoutTarget((yaml) => yaml.replace('{fact: path.via_lb, operator: equal, value: true}', '{fact: target.protocol, operator: equal, value: https}')))).toBe(true);
    expect(readsTarget(withoutTarget((yaml) => `${yaml.replace('    description: loss on the path\n', '    description: loss on the path\n    likelihoods: {target.protocol: {https: 0.6, http: 0.4}}\n')}\nmodel: {background: {target.protocol: {http: 0.5, https: 0.5}}}\n`))).toBe(true);
  });
});

describe('rca diagnose: input', () => {
  it('reads facts from a file, from "-" and from piped stdin alike', async () => {
    const facts = JSON.stringify({ 'ping.result': 'fail', 'tcp.connect': 'ok' });
    const fromFile = await runCli(['diagnose', file('f.json', facts), '--format', 'json']);
    const fromDash = await runCli(['diagnose', '-', '--format', 'json'], { input: facts });
    const fromPipe = await runCli(['diagnose', '--format', 'json'], { input: facts });
    expect(fromFile.code).toBe(0);
    expect(JSON.parse(fromDash.stdout)).toEqual(JSON.parse(fromFile.stdout));
    expect(JSON.parse(fromPipe.stdout)).toEqual(JSON.parse(fromFile.stdout));
  });

  it('takes one directory a --kb: the words after it are the command\'s own', async () => {
    const plain = await runCli(['diagnose', 'examples/01-apm-agent-cpu.json', '-f', 'json']);
    const one = await runCli(['diagnose', '--kb', 'rules', 'examples/01-apm-agent-cpu.json', '-f', 'json']);
    expect([one.code, (JSON.parse(one.stdout) as Diagnosis).hypotheses[0]?.id]).toEqual([0, (JSON.parse(plain.stdout) as Diagnosis).hypotheses[0]?.id]);
  });

  it('refuses malformed JSON', async () => {
    const bad = file('bad.json', '{"ping.result": "ok",');
    expectCleanError(await runCli(['diagnose', bad]), 2, `rca: input error: ${bad}:1:22: expected a double-quoted key, got the end of the input`);
  });

  it('refuses empty input', async () => {
    expectCleanError(await runCli(['diagnose', '-']), 2, 'rca: input error: stdin: expected valid JSON, got empty input');
  });

  it('refuses an unknown fact with a suggestion', async () => {
    const run = await runCli(['diagnose', '-'], { input: '{"http.stauts": 503}' });
    expectCleanError(run, 2, 'rca: input error: stdin at http.stauts: expected a known fact name (did you mean "http.status"?), got unknown fact "http.stauts"');
  });

  it('refuses a wrong type and an out-of-range value', async () => {
    expectCleanError(await runCli(['diagnose', '-'], { input: '{"tcp": {"connect_ms": "fast"}}' }), 2, 'rca: input error: stdin at tcp.connect_ms: expected number, got string "fast"');
    // A ticket form's quoted number or boolean: the hint says to send it bare.
    expectCleanError(await runCli(['diagnose', '-'], { input: '{"http.status": "502"}' }), 2, 'rca: input error: stdin at http.status: expected integer (write 502 unquoted), got string "502"');
    expectCleanError(await runCli(['diagnose', '-'], { input: '{"path.via_lb": "true"}' }), 2, 'rca: input error: stdin at path.via_lb: expected boolean (write true unquoted), got string "true"');
    // Near misses: not a number of that type, or not a literal at all.
    expectCleanError(await runCli(['diagnose', '-'], { input: '{"http.status": "502.5"}' }), 2, 'rca: input error: stdin at http.status: expected integer, got string "502.5"');
    expectCleanError(await runCli(['diagnose', '-'], { input: '{"path.via_lb": "yes"}' }), 2, 'rca: input error: stdin at path.via_lb: expected boolean, got string "yes"');
    expectCleanError(await runCli(['diagnose', '-'], { input: '{"target.port": 70000}' }), 2, 'rca: input error: stdin at target.port: expected a number <= 65535, got number 70000');
  });

  it('refuses prototype keys', async () => {
    expectCleanError(await runCli(['diagnose', '-'], { input: '{"__proto__": {"isAdmin": true}}' }), 2, 'rca: input error: stdin at __proto__: expected a fact name, got the reserved key "__proto__"');
    expectCleanError(await runCli(['diagnose', '-'], { input: '{"constructor": {"prototype": {}}}' }), 2, 'rca: input error: stdin at constructor: expected a fact name, got the reserved key "constructor"');
  });

  it('refuses a 10 MB file before reading it, and oversize stdin', async () => {
    const big = file('big.json', `{"target.host": "${'x'.repeat(10 * 1024 * 1024)}"}`);
    expectCleanError(await runCli(['diagnose', big]), 2, `rca: input error: ${big}: expected at most 1048576 bytes, got ${statSync(big).size} bytes`);
    const run = await runCli(['diagnose', '-'], { input: 'y'.repeat(2 * 1024 * 1024) });
    expectCleanError(run, 2, 'rca: input error: stdin: expected at most 1048576 bytes, got more than 1048576 bytes');
  });

  it('names a file that does not exist', async () => {
    expectCleanError(await runCli(['diagnose', join(tmp, 'nope.json')]), 2, `rca: input error: ${join(tmp, 'nope.json')}: expected a readable file, got nothing there (not found)`);
  });

  it('quotes a hostile URL in every rendered command, in every format', async () => {
    // A host name can no longer carry shell syntax (it is refused at input); a URL still may.
    const url = "https://x.example/a;reboot$(id)'&b";
    const quoted = "'https://x.example/a;reboot$(id)'\\''&b'";
    const input = JSON.stringify({ 'target.url': url, 'ping.result': 'partial_loss', 'ping.loss_pct': 30, 'proc.top_role': 'apm_agent', 'proc.top_cpu_pct': 150 });
    const json = JSON.parse((await runCli(['diagnose', '-', '--format', 'json'], { input })).stdout) as Diagnosis;
    const commands = [...json.hypotheses.flatMap((h) => h.checks.map((c) => c.command)), ...json.missing.flatMap((m) => (m.how ? [m.how] : []))];
    const withUrl = commands.filter((c) => c.includes('reboot'));
    expect(withUrl.length).toBeGreaterThan(0);
    for (const command of withUrl) {
      expect(command).toContain(quoted);
      expect(command.replaceAll(quoted, '')).not.toContain('reboot');
    }
    // Outside the commands it shows only as data: on the line of the facts given (inline code in markdown).
    const given = { text: `target.url = ${url},`, markdown: `\`target.url\` = \`${url}\`,` };
    for (const format of ['text', 'markdown'] as const) {
      const lines = (await runCli(['diagnose', '-', '--format', format], { input })).stdout.split('\n');
      const facts = lines.findIndex((line) => line.includes('Facts used'));
      expect(lines[facts]).toContain(given[format]);
      expect(lines.filter((_, i) => i !== facts).join('\n').replaceAll(quoted, '')).not.toContain('reboot');
    }
  });
});

describe('rca diagnose: options and exit codes', () => {
  const facts = JSON.stringify({ 'ping.result': 'fail', 'tcp.connect': 'ok', 'http.status': 200 });

  it('documents its exit codes in --help, 1 as a bug and as rca kb\'s findings', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      'Exit codes:\n  0  diagnosis produced\n  1  unexpected error (a bug), or findings: kb lint errors, kb test failures, kb eval under its\n     thresholds (rca kb --help lists them)\n  2  usage or input error\n  3  invalid knowledge base\n  4  case database unusable (unreachable, locked, or migrated by a newer rca)\n',
    );
  });

  it('exits 2 on usage errors', async () => {
    expectCleanError(await runCli(['diagnose', '-', '--format', 'pdf'], { input: facts }), 2, 'rca: usage error: --format: expected one of text, markdown, html, json, got "pdf"');
    expectCleanError(await runCli(['diagnose', '-', '--top', '0'], { input: facts }), 2, 'rca: usage error: --top: expected a whole number >= 1, got 0');
    expectCleanError(await runCli(['diagnose', '-', '--lang', 'chinese!'], { input: facts }), 2, 'rca: usage error: --lang: expected a language rca has (en, zh-CN), or a tag it serves in one: en-GB or another tag of English; zh, zh-Hans, zh-SG or zh-MY, got "chinese!"');
    expectCleanError(await runCli(['diagnose', '-', '--frobnicate'], { input: facts }), 2, 'rca: usage error: diagnose: expected the options rca diagnose --help lists, got --frobnicate');
    expectCleanError(await runCli(['diagnoze']), 2, /^rca: usage error: /);
    expectCleanError(await runCli([]), 2, 'rca: usage error: COMMAND: expected one of diagnose, interview, serve, kb, cases, db, facts, parse, collect, completion, got nothing');
  });

  it('exits 3 on an invalid knowledge base, naming file and path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rca-badkb-'));
    writeFileSync(join(dir, 'rules.yaml'), 'rules:\n  - id: r1\n    description: x\n    conditions: {all: [{fact: ping.result, operator: equal, value: fail}]}\n    evidence: [{hypothesis: network.nope, cf: 2}]\n');
    const run = await runCli(['diagnose', '-', '--kb', dir], { input: facts });
    expectCleanError(run, 3, /^rca: knowledge-base error: .*rules\.yaml:5:43 at \/rules\/0\/evidence\/0\/cf: expected a number <= 1, got number 2$/);
  });

  it('renders a custom template, and refuses a broken one with exit 2', async () => {
    const ok = await runCli(['diagnose', '-', '--template', file('t.hbs', '{{#each hypotheses}}{{id}}\n{{/each}}')], { input: facts });
    expect(ok.code).toBe(0);
    expect(ok.stdout.split('\n')[0]).toMatch(/^[a-z]+\.[a-z_]+$/);
    expectCleanError(await runCli(['diagnose', '-', '--template', file('u.hbs', '{{shout kb}}')], { input: facts }), 2, /^rca: template error: .*u\.hbs:1:1: expected a known helper \(and, aside, bar, .*\), got "shout"$/);
    expectCleanError(await runCli(['diagnose', '-', '--template', join(tmp, 'none.hbs')], { input: facts }), 2, `rca: input error: --template: expected a readable handlebars file, got ${join(tmp, 'none.hbs')}: nothing there (not found)`);
  });

  it('refuses --format beside --template, which writes the whole report (the format was ignored in silence)', async () => {
    const template = file('only-ids.hbs', '{{#each hypotheses}}{{id}}\n{{/each}}');
    for (const format of [['-f', 'json'], ['--format', 'html']]) {
      const run = await runCli(['diagnose', '-', '--template', template, ...format], { input: facts });
      expect(run).toEqual({ code: 2, stdout: '', stderr: `rca: usage error: --format: expected none with --template (the template writes the whole report), got "${format[1]}"\nRun 'rca diagnose --help' for usage.\n` });
    }
  });

  it('cuts the list with --top and speaks Chinese with --lang zh-CN', async () => {
    const top = JSON.parse((await runCli(['diagnose', '-', '--format', 'json', '--top', '1'], { input: facts })).stdout) as Diagnosis;
    expect(top.hypotheses).toHaveLength(1);
    const zh = await runCli(['diagnose', '-', '--lang', 'zh-CN'], { input: facts });
    expect(zh.code).toBe(0);
    expect(zh.stdout).toContain('可能的根因');
  });

  it('lists the fact vocabulary', async () => {
    const run = await runCli(['facts', '--format', 'json']);
    const facts = JSON.parse(run.stdout) as Array<{ name: string; type: string }>;
    expect(facts.find((f) => f.name === 'http.status')).toEqual({ name: 'http.status', type: 'integer', minimum: 100, maximum: 599, description: 'status the client gets' });
  });
});
