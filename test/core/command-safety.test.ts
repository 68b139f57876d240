import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INVISIBLE } from '../../src/core/escape.js';
import { normalizeFacts } from '../../src/core/facts.js';
import { shellQuote } from '../../src/core/shell.js';
import { commandEnvironment, readCommand } from '../../src/core/templates.js';
import { baseVocabulary, type FactMap } from '../../src/core/vocabulary.js';
import { shippedKb } from '../support.js';

// Every command template of the shipped knowledge base with the facts it reads: the checks
// of the hypotheses and the `how` of the questions.
const kb = shippedKb();
const templates = [
  ...[...kb.hypotheses.values()].flatMap((h) => h.value.checks.map((c, i) => ({ source: `${h.value.id} check ${i}`, text: c.command }))),
  ...[...kb.questions.values()].flatMap((q) => (q.value.how ? [{ source: `question ${q.value.fact}`, text: q.value.how }] : [])),
].map((t) => ({ ...t, facts: commandEnvironment().templatePaths(t.text, t.source) }));
const withFacts = templates.filter((t) => t.facts.length > 0);

const LEADING_DASH = ['-f/etc/secret', '--help', '-', '-oProxyCommand=id', '- x', -1];
// Values a shell would act on, and the control characters a terminal would.
const HOSTILE = ['a b', `it's "q"`, '$(id)', '`id`', 'a\nb', '\u001b]52;c;Y3VybA==\u0007', '\u001b[2K', 'x\u202eexe.sh', '\u009b31m', 'del\u007f', 'tab\there', "\\'$'", ''];

const render = (text: string, facts: FactMap) => commandEnvironment().commandTemplate(text, 'test')(facts);
/** The template with each of its placeholders replaced by `word(fact)`. */
const expected = (text: string, word: (fact: string) => string) => text.replace(/\{\{([a-z_]+\.[a-z0-9_]+)\}\}/g, (_, fact: string) => word(fact));

describe('no fact value becomes an option in a command', () => {
  it('reads the whole shipped knowledge base', () => {
    expect(withFacts.length).toBeGreaterThanOrEqual(62);
  });

  it.each(LEADING_DASH)('shows %j as a visible placeholder in every command that reads it', (value) => {
    for (const template of withFacts) {
      for (const fact of template.facts) {
        const out = render(template.text, { [fact]: value });
        expect(out, `${template.source}, ${fact}`).toBe(expected(template.text, (f) => (f === fact ? `'<refused:${f}>'` : `'<${f}>'`)));
        // The value appears nowhere the template's own text did not put it (curl -D - writes headers to stdout).
        const shown = String(value) === '-' ? ' - ' : String(value);
        expect(out.split(shown).length, `${template.source}, ${fact}`).toBe(template.text.split(shown).length);
      }
    }
  });

  it('quotes every other hostile value as one word in every command that reads it', () => {
    for (const template of withFacts) {
      for (const value of HOSTILE) {
        const facts = Object.fromEntries(template.facts.map((f) => [f, value]));
        const out = render(template.text, facts);
        expect(out, template.source).toBe(expected(template.text, () => shellQuote(value)));
        expect([...out.matchAll(INVISIBLE)]).toEqual([]);
      }
    }
  });

  it('puts every placeholder of the shipped commands outside quotes, where a quoted word stays one word', () => {
    for (const template of withFacts) {
      const before = template.text.split(/\{\{[^}]+\}\}/).slice(0, -1);
      let prefix = '';
      for (const text of before) {
        prefix += text;
        expect(quoteState(prefix), `${template.source}: ${template.text}`).toBe('none');
      }
    }
  });

  it('a quoted word reaches the program as exactly the value (bash)', () => {
    const words = HOSTILE.map(shellQuote);
    const out = execFileSync('bash', ['-c', `printf '%s\\0' ${words.join(' ')}`], { encoding: 'utf8', env: { LC_ALL: 'C.UTF-8' } });
    expect(out.split('\0').slice(0, -1)).toEqual(HOSTILE);
  });

  it('shows an unknown fact as a quoted placeholder: pasted unfilled, the program gets it as an argument and the shell redirects nothing', () => {
    // Bare, `nc -vz <target.host> <target.port>` reads a file named `target.host`; a `>` would write one.
    for (const template of withFacts) {
      const out = render(template.text, {});
      expect(out, template.source).toBe(expected(template.text, (f) => `'<${f}>'`));
    }
    const dir = mkdtempSync(join(tmpdir(), 'rca-placeholder-'));
    writeFileSync(join(dir, 'target.host'), 'a file the shell must not read\n');
    const words = render("printf '%s\\n' {{target.host}} {{target.port}} {{refused.x}}", { 'refused.x': '-x' });
    const run = spawnSync('bash', ['-c', words], { cwd: dir, encoding: 'utf8' });
    expect({ status: run.status, stdout: run.stdout, stderr: run.stderr }).toEqual({
      status: 0,
      stdout: '<target.host>\n<target.port>\n<refused:refused.x>\n',
      stderr: '',
    });
  });

  it('names the facts a command still shows as placeholders, each once in its order: unknown, the URL spelled with <path>, refused', () => {
    const { commandTemplate } = commandEnvironment();
    const unfilled = (text: string, facts: FactMap) => commandTemplate(text, 'test').unfilled(facts);
    // Run as shown, `getent ahosts '<target.host>'` prints nothing: read as "does not resolve", it confirmed the wrong cause.
    expect(unfilled('getent ahosts {{target.host}}; grep -nwF -e {{target.host}} /etc/hosts', {})).toEqual(['target.host']);
    expect(unfilled('nc -vz -w 5 {{target.host}} {{target.port}}', { 'target.port': 443 })).toEqual(['target.host']);
    expect(unfilled('curl -g -sv {{target.url}}', { 'target.protocol': 'http', 'target.host': '10.195.0.2' })).toEqual(['target.url']);
    expect(unfilled('dig {{target.host}} @{{dns.server}}', { 'target.host': '-f/etc/passwd', 'dns.server': '10.0.0.2' })).toEqual(['target.host']);
    expect(unfilled('nc -vz -w 5 {{target.host}} {{target.port}}', { 'target.host': 'db.example', 'target.port': 5432 })).toEqual([]);
  });

  it('writes an IPv6 host before :port in brackets, one quoted word, and leaves it bare elsewhere', () => {
    const facts = { 'target.host': '2001:db8::1', 'target.port': 443 };
    expect(render('openssl s_client -connect {{target.host}}:{{target.port}} -servername {{target.host}} </dev/null', facts)).toBe(
      "openssl s_client -connect '[2001:db8::1]':443 -noservername </dev/null",
    );
    expect(render('nc -vz {{target.host}} {{target.port}}', facts)).toBe('nc -vz 2001:db8::1 443');
    // Not an IPv6 literal: a name or an IPv4 address before :port stays as it was.
    expect(render('x {{target.host}}:{{target.port}}', { ...facts, 'target.host': '192.0.2.7' })).toBe('x 192.0.2.7:443');
    expect(render('x {{target.host}}:{{target.port}}', { ...facts, 'target.host': 'a:b' })).toBe('x a:b:443');
    const out = execFileSync('bash', ['-c', `printf '%s' ${render('{{target.host}}:{{target.port}}', facts)}`], { encoding: 'utf8' });
    expect(out).toBe('[2001:db8::1]:443');
  });

  it('asks openssl to send no SNI and to check an IP SAN when the host is an address (RFC 6066 3: SNI carries names only)', () => {
    const check = 'openssl s_client -connect {{target.host}}:{{target.port}} -servername {{target.host}} -verify_hostname {{target.host}} </dev/null';
    expect(render(check, { 'target.host': '192.0.2.7', 'target.port': 443 })).toBe(
      'openssl s_client -connect 192.0.2.7:443 -noservername -verify_ip 192.0.2.7 </dev/null',
    );
    expect(render(check, { 'target.host': '2001:db8::1', 'target.port': 443 })).toBe(
      "openssl s_client -connect '[2001:db8::1]':443 -noservername -verify_ip 2001:db8::1 </dev/null",
    );
    // A link-local address with its zone (RFC 4007 11): bracketed whole before :port, as
    // getaddrinfo takes it; the certificate's IP SAN holds the address alone.
    expect(render(check, { 'target.host': 'fe80::1%eth0', 'target.port': 443 })).toBe(
      "openssl s_client -connect '[fe80::1%eth0]':443 -noservername -verify_ip fe80::1 </dev/null",
    );
    // x509 -checkhost checks DNS names only (a real capture: "Hostname 127.0.0.1 does NOT match" an IP SAN of 127.0.0.1); -checkip the IP SAN.
    const nameCheck = 'openssl s_client -connect {{target.host}}:{{target.port}} -servername {{target.host}} </dev/null 2>/dev/null | openssl x509 -noout -dates -checkhost {{target.host}}';
    expect(render(nameCheck, { 'target.host': '192.0.2.7', 'target.port': 443 })).toBe('openssl s_client -connect 192.0.2.7:443 -noservername </dev/null 2>/dev/null | openssl x509 -noout -dates -checkip 192.0.2.7');
    expect(render(nameCheck, { 'target.host': 'shop.example', 'target.port': 443 })).toBe('openssl s_client -connect shop.example:443 -servername shop.example </dev/null 2>/dev/null | openssl x509 -noout -dates -checkhost shop.example');
    expect(render('ping -c 3 {{target.host}}', { 'target.host': 'fe80::1%eth0' })).toBe('ping -c 3 fe80::1%eth0');
    // Packet filters: tcpdump's host takes the bare address, ss's dst and src one in brackets; neither a zone.
    expect(render('tcpdump -nn -i any host {{target.host}} and port {{target.port}}', { 'target.host': 'fe80::1%eth0', 'target.port': 443 })).toBe('tcpdump -nn -i any host fe80::1 and port 443');
    expect(render('ss -tni dst {{target.host}}', { 'target.host': '2001:db8::1' })).toBe("ss -tni dst '[2001:db8::1]'");
    expect(render('ss -tni src {{target.host}}', { 'target.host': 'fe80::1%eth0' })).toBe("ss -tni src '[fe80::1]'");
    // Near misses: an IPv4 address or a name stays bare after them, and a word merely ending in host is no filter.
    expect(render('ss -tni dst {{target.host}}', { 'target.host': '192.0.2.7' })).toBe('ss -tni dst 192.0.2.7');
    expect(render('tcpdump host {{target.host}}', { 'target.host': 'db1.example' })).toBe('tcpdump host db1.example');
    expect(render('getent ahost {{target.host}}', { 'target.host': 'fe80::1%eth0' })).toBe('getent ahost fe80::1%eth0');
    // Near misses: a name keeps both options; a name that looks like a number, an address that is
    // not an option's argument, an option merely ending in the same letters, and an unknown host.
    expect(render(check, { 'target.host': 'example.com', 'target.port': 443 })).toBe(
      'openssl s_client -connect example.com:443 -servername example.com -verify_hostname example.com </dev/null',
    );
    expect(render('x -servername {{target.host}}', { 'target.host': '256.1.1.1' })).toBe('x -servername 256.1.1.1');
    expect(render('ping -c 3 {{target.host}}', { 'target.host': '192.0.2.7' })).toBe('ping -c 3 192.0.2.7');
    expect(render('x --no-servername {{target.host}}', { 'target.host': '192.0.2.7' })).toBe('x --no-servername 192.0.2.7');
    expect(render(check, {})).toBe("openssl s_client -connect '<target.host>':'<target.port>' -servername '<target.host>' -verify_hostname '<target.host>' </dev/null");
  });

  it('fills an unknown target.url with the scheme, host and port the facts give, leaving the path a visible placeholder', () => {
    const curl = 'curl -g -sv {{target.url}}';
    expect(render(curl, { 'target.protocol': 'http', 'target.host': '10.195.0.2', 'target.port': 8080 })).toBe("curl -g -sv 'http://10.195.0.2:8080/<path>'");
    // The scheme's own port is left out, an IPv6 literal goes in brackets with its zone's % escaped (RFC 6874).
    expect(render(curl, { 'target.protocol': 'https', 'target.host': 'shop.example', 'target.port': 443 })).toBe("curl -g -sv 'https://shop.example/<path>'");
    expect(render(curl, { 'target.protocol': 'http', 'target.host': 'fe80::1%eth0' })).toBe("curl -g -sv 'http://[fe80::1%25eth0]/<path>'");
    // A given URL wins; without a web scheme or a host there is nothing to spell, and the whole URL stays a placeholder.
    expect(render(curl, { 'target.url': 'https://shop.example/cart', 'target.protocol': 'http', 'target.host': 'other.example' })).toBe('curl -g -sv https://shop.example/cart');
    expect(render(curl, { 'target.protocol': 'grpc', 'target.host': 'shop.example' })).toBe("curl -g -sv '<target.url>'");
    expect(render(curl, { 'target.host': 'shop.example', 'target.port': 8080 })).toBe("curl -g -sv '<target.url>'");
    expect(render(curl, { 'target.protocol': 'https' })).toBe("curl -g -sv '<target.url>'");
  });

  it('turns curl\'s URL globbing off wherever a fact becomes curl\'s URL: a pasted [1-99999999] is one request, not a hundred million', () => {
    const globbing = templates.filter((t) => /\bcurl\b/.test(t.text) && t.facts.includes('target.url') && !/\bcurl -g\b/.test(t.text));
    expect(globbing.map((t) => t.source)).toEqual([]);
    expect(templates.filter((t) => /\bcurl\b/.test(t.text) && t.facts.includes('target.url')).length).toBeGreaterThanOrEqual(20);
    // What -g changes, on local files: without it curl fetches x1 and x2; with it, the one name as written.
    const dir = mkdtempSync(join(tmpdir(), 'rca-glob-'));
    writeFileSync(join(dir, 'x1'), 'one\n');
    writeFileSync(join(dir, 'x2'), 'two\n');
    const fetch = (template: string) => spawnSync('bash', ['-c', render(template, { 'target.url': `file://${dir}/x[1-2]` })], { encoding: 'utf8' }).stdout;
    expect(fetch('curl -s {{target.url}}')).toBe('one\ntwo\n');
    expect(fetch('curl -g -s {{target.url}}')).toBe('');
  });

  it('writes control and bidi characters as ANSI-C escapes', () => {
    expect(shellQuote('\u001b]52;c;Y3VybA==\u0007')).toBe("$'\\x1b]52;c;Y3VybA==\\x07'");
    expect(shellQuote("a'b\\\n\u202e\u009b")).toBe("$'a\\'b\\\\\\n\\u202e\\u009b'");
  });
});

// RuleTester for an empty value at a word's start: the word is then the template's own text
// after it, and that text starting with `-` is an option (`{{x}}-v` with x empty is `''-v`).
// proc.top_name and strace.top_syscall are free text that may be empty (no minLength).
describe('an empty value that would leave its word starting with "-" is refused', () => {
  const X = 'proc.top_name';
  const Y = 'strace.top_syscall';

  it('can happen: both facts accept the empty string, and the loader accepts each template below', () => {
    expect(normalizeFacts({ [X]: '', [Y]: '' }, baseVocabulary())).toEqual({ [X]: '', [Y]: '' });
    for (const text of ['pgrep {{proc.top_name}}-suffix', 'pgrep {{strace.top_syscall}}{{proc.top_name}}-v', 'grep --host={{proc.top_name}}-v', 'ls {{proc.top_name}}-l']) {
      expect(readCommand(text), text).toEqual({ facts: text.includes(Y) ? [Y, X] : [X] });
    }
  });

  it.each([
    ['pgrep {{proc.top_name}}-suffix', { [X]: '' }, "pgrep '<refused:proc.top_name>'-suffix"],
    ['grep a f |grep {{proc.top_name}}--x', { [X]: '' }, "grep a f |grep '<refused:proc.top_name>'--x"],
    ['pgrep -l {{proc.top_name}}-v && uptime', { [X]: '' }, "pgrep -l '<refused:proc.top_name>'-v && uptime"],
    // Both empty: the word's first placeholder is refused, and the word starts with it.
    ['pgrep {{strace.top_syscall}}{{proc.top_name}}-v', { [X]: '', [Y]: '' }, "pgrep '<refused:strace.top_syscall>'''-v"],
  ])('fires: %j with %j is %j', (text, facts, out) => {
    expect(render(text, facts)).toBe(out);
  });

  it('fires: the program gets one word that is no option (bash; `ls \'\'-l` would list the directory long)', () => {
    const words = render('ls {{proc.top_name}}-l', { [X]: '' });
    const run = spawnSync('bash', ['-c', words], { cwd: mkdtempSync(join(tmpdir(), 'rca-empty-')), encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
    expect({ status: run.status, stdout: run.stdout, stderr: run.stderr }).toEqual({ status: 2, stdout: '', stderr: "ls: cannot access '<refused:proc.top_name>-l': No such file or directory\n" });
  });

  it.each([
    // Inside a word: the word starts with the template's own `--host=`.
    ['grep --host={{proc.top_name}}', { [X]: '' }, "grep --host=''"],
    ['grep --host={{proc.top_name}}-v', { [X]: '' }, "grep --host=''-v"],
    // A word of its own: the empty argument, then the template's own option.
    ['pgrep {{proc.top_name}} -v', { [X]: '' }, "pgrep '' -v"],
    // The first value empty, the next one starts the word.
    ['pgrep {{strace.top_syscall}}{{proc.top_name}}', { [X]: 'java', [Y]: '' }, "pgrep ''java"],
    ['pgrep {{strace.top_syscall}}{{proc.top_name}}-v', { [X]: 'java', [Y]: '' }, "pgrep ''java-v"],
    ['pgrep {{proc.top_name}}-suffix', { [X]: 'java' }, 'pgrep java-suffix'],
  ])('near miss: %j with %j stays %j', (text, facts, out) => {
    expect(render(text, facts)).toBe(out);
  });

  it.each([
    // No dash after it: an empty word.
    ['pgrep {{proc.top_name}}', { [X]: '' }, "pgrep ''"],
    // Unknown: the placeholder already starts the word.
    ['pgrep {{proc.top_name}}-suffix', {}, "pgrep '<proc.top_name>'-suffix"],
  ])('absence: %j with %j is %j', (text, facts, out) => {
    expect(render(text, facts)).toBe(out);
  });
});

/** Whether the end of a shell text is inside single quotes, double quotes or none. */
function quoteState(text: string): 'single' | 'double' | 'none' {
  let state: 'single' | 'double' | 'none' = 'none';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (state === 'single') {
      if (c === "'") state = 'none';
    } else if (c === '\\') i++;
    else if (state === 'double') {
      if (c === '"') state = 'none';
    } else if (c === "'") state = 'single';
    else if (c === '"') state = 'double';
  }
  return state;
}
