import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/core/diagnose.js';
import { TemplateError } from '../../src/core/errors.js';
import { customReport, percentText, precompileReport, renderReport, REPORT_HELPERS } from '../../src/core/render.js';
import { shellQuote } from '../../src/core/shell.js';
import { diagnoseFacts, loadScenarios, shippedKb } from '../support.js';
import { commandEnvironment, createTemplateEnvironment, readCommand } from '../../src/core/templates.js';
import type { Diagnosis } from '../../src/generated/diagnosis.js';
import type { FactMap } from '../../src/core/vocabulary.js';
import { cpuStopwatch } from '../cpu-time.js';
import { hypothesis, kbOf, kbProblems } from '../fixtures.js';

const HOSTILE = 'x; rm -rf / #`id`$(id)\'"';

describe('percentText', () => {
  it('shows a probability as a whole percent, never 100% or 0%: the model is never certain', () => {
    expect([0, 0.00004, 0.0049, 0.005, 0.42, 0.994, 0.995, 0.9996, 1].map(percentText)).toEqual(['<1%', '<1%', '<1%', '1%', '42%', '99%', '>99%', '>99%', '>99%']);
  });
});

describe('shellQuote', () => {
  it('leaves plain words bare and quotes everything else', () => {
    expect(shellQuote('db-1.example.com')).toBe('db-1.example.com');
    expect(shellQuote(8080)).toBe('8080');
    expect(shellQuote('x; rm -rf /')).toBe("'x; rm -rf /'");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    expect(shellQuote('')).toBe("''");
  });
});

describe('command templates', () => {
  const problemOf = (text: string) => {
    const reading = readCommand(text);
    return 'problem' in reading ? reading.problem : undefined;
  };

  it('refuses blocks, helpers and @data paths: a pack could grow a command without bound or write to the console', () => {
    for (const text of ['{{#each @root.target}}x{{/each}}', '{{log "forged"}}{{target.host}}', 'ping {{@root.target.host}}', '{{#if target.host}}ping {{target.host}}{{/if}}', 'ping {{lookup target "host"}}']) {
      expect(problemOf(text), text).toBe('expected text, comments and {{group.fact}} placeholders only (a command is text an engineer pastes into a shell, each fact one quoted word in it), got a block, a helper or an @data path');
    }
    expect(problemOf('ping {{target.host')).toMatch(/^parse error on line 1/);
  });

  it('refuses a placeholder inside quotes, where the program goes, or right after dashes', () => {
    const quoted = 'expected each placeholder outside quotes, ${...} and backticks (rca quotes the value itself; there its quoting is undone or read again), got {{target.host}} inside them';
    const program = 'expected each placeholder to be an argument, got {{target.host}} where the shell reads the program to run (the start of a command or of a substitution, or after a wrapper such as sudo)';
    for (const text of ["dig '{{target.host}}'", 'dig "{{target.host}}"', 'dig "a b {{target.host}} c"', 'echo "$(pgrep -f "{{target.host}}")"', 'echo ${HOME+x {{target.host}} }', 'echo `ls {{target.host}}`', 'echo `{{target.host}}`']) {
      expect(problemOf(text), text).toBe(quoted);
    }
    for (const text of ['{{target.host}}', 'echo a; {{target.host}} -v', 'echo a | {{target.host}}', 'echo a && {{target.host}}', 'echo $({{target.host}})', 'ls {{~target.host}}', 'if {{target.host}}; then :; fi']) {
      expect(problemOf(text), text).toBe(program);
    }
    for (const text of ['sudo {{target.host}}', 'sudo -n {{target.host}}', 'timeout 5 {{target.host}}', 'env A=1 {{target.host}}']) expect(problemOf(text), text).toBe(program);
    const runs = (runner: string, what = 'a program, a script or a command line') => `expected each placeholder to be an argument of a program that takes it as data, got {{target.host}} in a command of ${runner}, which parses or runs what it is given (${what})`;
    // Programs that run what they are given, however reached (the second security review's bypasses).
    for (const [text, runner] of [
      ['eval echo {{target.host}}', 'eval'],
      ['bash -c {{target.host}}', 'bash'],
      ['echo x | sh -c {{target.host}}', 'sh'],
      ['timeout -s KILL 5 sh -c {{target.host}}', 'sh'],
      ['"bash" -c {{target.host}}', 'eval'],
      ['b\\ash -c {{target.host}}', 'eval'],
      ['$SHELL -c {{target.host}}', 'eval'],
      ['awk {{target.host}}', 'awk'],
      ['sed -n {{target.host}} /etc/hosts', 'sed'],
      ['python3 -c {{target.host}}', 'python3'],
      ['find / -exec sh -c {{target.host}} ;', 'find'],
      ['git -c {{target.host}} status', 'git'],
      ['xargs -I {} sh -c {{target.host}}', 'xargs'],
      ['watch -n 1 date {{target.host}}', 'watch'],
      ['tar --to-command={{target.host}} -xf a.tar', 'tar'],
      ['test -v {{target.host}}', 'test'],
      ['printf -v {{target.host}} %s 1', 'printf'],
      ['declare -i {{target.host}}', 'declare'],
      // A wrapper's option read as the shell reads it: "-s" is -s, KILL its value, sh the program.
      ['timeout "-s" KILL 5 sh -c {{target.host}}', 'sh'],
    ] as const) {
      expect(problemOf(text), text).toBe(runs(runner));
    }
    for (const text of ['ssh {{target.url}} ss -tnp dst {{target.host}}', '/usr/bin/ssh -p 2222 -o BatchMode=yes {{target.url}} cat {{target.host}}', 'ssh -o {{target.host}} box', 'ssh -oProxyCommand={{target.host}} box']) {
      expect(problemOf(text), text).toBe(runs('ssh', 'only the destination may be a value'));
    }
    for (const text of ['cat <<EOF\nprocess: {{target.host}}\nEOF', "echo $'a\\' {{target.host}} '", 'echo $(( {{target.host}} ))', '[[ {{target.host}} -eq 1 ]]', 'case a in a) echo {{target.host}};; esac', 'function f { echo {{target.host}}; }', 'coproc cat {{target.host}}']) {
      expect(problemOf(text), text).toMatch(/^expected no heredoc, \$'...', arithmetic, \[\[ \]\], case, select, function or coproc in a command with a placeholder/);
    }
    for (const text of ['echo {{target.host}} | sh', 'echo {{target.host}} >/dev/null; bash -c "$C"', 'echo {{target.host}} | /bin/bash -s']) {
      expect(problemOf(text), text).toMatch(/^expected no shell or eval in a command with a placeholder \(what is piped or passed to (sh|bash) is run as code, a value with it\), got (sh|bash)$/);
    }
    expect(problemOf('time -p {{target.host}}')).toBe(program);
    // The third security review's bypasses: each refused.
    const wrappedBy = (w: string) => `expected each placeholder to be an argument of a program rca can tell, got {{target.host}} in a command run through ${w}, whose options decide which word is the program`;
    for (const [text, w] of [['sudo -u root sh -c {{target.host}}', 'sudo'], ['sudo -nu root {{target.host}}', 'sudo'], ['sudo --user root {{target.host}}', 'sudo'], ['env --chdir /tmp {{target.host}}', 'env'], ['ionice -tc 3 {{target.host}}', 'ionice'], ['nice -n 5 bash -c {{target.host}}', 'nice']] as const) {
      expect(problemOf(text), text).toBe(wrappedBy(w));
    }
    expect(problemOf('echo ${{target.host}}')).toBe('expected each placeholder to be an argument, got {{target.host}} right after "$", which makes the value\'s quotes $\'...\' and reads its escapes');
    expect(problemOf('echo $\\\n{{target.host}}')).toBe('expected each placeholder to be an argument, got {{target.host}} right after "$", which makes the value\'s quotes $\'...\' and reads its escapes');
    for (const text of ['echo hi>{{target.host}}', 'echo hi>>{{target.host}}', ': 1<>{{target.host}}', ': {fd}>{{target.host}}', 'echo hi >""{{target.host}}', 'echo hi >$(){{target.host}}', 'echo hi >\\\n{{target.host}}']) {
      expect(problemOf(text), text).toBe("expected each placeholder to be an argument, got {{target.host}} as a redirection's target, which names the file written or read");
    }
    for (const text of ['sort \\-{{target.host}} /dev/null', 'sort ""-{{target.host}} /dev/null', 'sort -{,}{{target.host}} /dev/null', 'sort -\\\n{{target.host}} /dev/null', 'curl -K{{target.host}}']) {
      expect(problemOf(text), text).toMatch(/^expected each placeholder to be an argument, got \{\{target\.host\}\} right after ".*", which makes the value \(part of\) an option$/);
    }
    for (const text of ['X={{target.host}}; echo ${!X}', 'declare -i N; N={{target.host}}', 'PS4={{target.host}}; set -x; true', 'BASH_ENV={{target.host}} ldd /bin/true', 'Y={{target.host}}; a[Y]=1']) {
      expect(problemOf(text), text).toBe('expected each placeholder to be an argument, got {{target.host}} in an assignment: a variable holds the value for later words to use anywhere');
    }
    for (const [text, runner] of [['trap {{target.host}} EXIT', 'trap'], ['mapfile -t -C {{target.host}} -c 1', 'mapfile'], ['compgen -W {{target.host}}', 'compgen'], ['read {{target.host}}', 'read'], ['alias {{target.host}}', 'alias'], ['hash -p {{target.host}} ls', 'hash'], ['for v in {{target.host}}; do echo "$v"; done', 'for'], ['flock /tmp/l -c {{target.host}}', 'flock'], ['sqlite3 :memory: {{target.host}}', 'sqlite3'], ['vim -es {{target.host}}', 'vim'], ['rbash -c {{target.host}}', 'rbash'], ['python3.11 -c {{target.host}}', 'python3.11'], ['nodejs -e {{target.host}}', 'nodejs']] as const) {
      expect(problemOf(text), text).toBe(runs(runner));
    }
    expect(problemOf('cp /etc/hostname -\t{{target.host}}')).toBe('expected spaces between the words of a command with a placeholder, got a tab (a report shows it as \\t, which pasted is the letter t)');
    expect(problemOf('echo \\\\{{target.host}}')).toBe('expected each placeholder to be an argument, got {{target.host}} right after a backslash, which escapes the quote rca opens the value with');
    expect(problemOf('echo pwned >{{target.host}}')).toBe("expected each placeholder to be an argument, got {{target.host}} as a redirection's target, which names the file written or read");
    expect(problemOf('echo pwned 2> {{target.host}}')).toBe("expected each placeholder to be an argument, got {{target.host}} as a redirection's target, which names the file written or read");
    expect(problemOf('curl -K {{target.host}} https://x/')).toBe('expected each placeholder to be an argument, got {{target.host}} after -K, which names a file of settings to read');
    // A comment is inert, and a quote in it starts nothing.
    expect(problemOf("echo # {{target.host}} '\necho 'abc {{target.port}} '")).toBe('expected each placeholder outside quotes, ${...} and backticks (rca quotes the value itself; there its quoting is undone or read again), got {{target.port}} inside them');
    expect(problemOf('curl --{{target.host}}')).toBe('expected each placeholder to be an argument, got {{target.host}} right after "--", which makes the value (part of) an option');
    expect(problemOf('curl -{{target.host}}')).toBe('expected each placeholder to be an argument, got {{target.host}} right after "-", which makes the value (part of) an option');
  });

  it('reads a placeholder\'s word as the shell does, quotes removed, to tell an option: fires, near misses and absences', () => {
    const option = (after: string) => `expected each placeholder to be an argument, got {{target.host}} right after ${JSON.stringify(after)}, which makes the value (part of) an option`;
    // Fires: the word may start with a dash before the value, however it is quoted or escaped,
    // after an earlier value (which may be empty), or where brace expansion may start a word.
    for (const [text, after] of [
      ['sort -{{target.host}}', '-'],
      ['sort "-"{{target.host}}', '-'],
      ["sort '-'{{target.host}}", '-'],
      ['sort -""{{target.host}}', '-'],
      ['sort \\-{{target.host}}', '-'],
      ['sort "--"{{target.host}}', '--'],
      ["sort '-o'{{target.host}}", '-o'],
      ['sort {{target.port}}-{{target.host}}', '{{target.port}}-'],
      ['sort {a,-}{{target.host}}', '{a,-}'],
      ['sort {a,}-{{target.host}}', '{a,}-'],
      ['sort -{a=,b}{{target.host}}', '-{a=,b}'],
      ["sort '-'$(echo){{target.host}}", '-$()'],
    ] as const) {
      expect(problemOf(text), text).toBe(option(after));
    }
    for (const text of ['curl "-K"={{target.host}}', "curl '-K' {{target.host}}"]) {
      expect(problemOf(text), text).toBe('expected each placeholder to be an argument, got {{target.host}} after -K, which names a file of settings to read');
    }
    expect(problemOf("curl '--config='a{{target.host}}")).toBe('expected each placeholder to be an argument, got {{target.host}} after --config, which names a file of settings to read');
    expect(problemOf('ssh "-o"ProxyCommand={{target.host}} box')).toBe(
      'expected each placeholder to be an argument of a program that takes it as data, got {{target.host}} in a command of ssh, which parses or runs what it is given (only the destination may be a value)',
    );
    // In quotes the value is refused as it always was: the quotes undo rca's own.
    expect(problemOf('sort "-{{target.host}}"')).toBe('expected each placeholder outside quotes, ${...} and backticks (rca quotes the value itself; there its quoting is undone or read again), got {{target.host}} inside them');
    // Near misses: a dash that cannot start the word, or an option's =value before any brace.
    for (const text of [
      'mysql --host={{target.host}}',
      'mysql "--host="{{target.host}}',
      "mysql '--host'={{target.host}}",
      'sort {{target.host}}-suffix',
      'sort "a-"{{target.host}}',
      'sort a{{target.port}}-{{target.host}}',
      'cat /tmp/{{target.port}}-{{target.host}}.log',
      'sort ,-{{target.host}}',
      'sort }-{{target.host}}',
      'sort --opt={a,-}{{target.host}}',
      'ssh "-p" 2222 {{target.host}} uptime',
    ]) {
      expect(readCommand(text), text).toHaveProperty('facts');
    }
    // Absences: no dash in the word at all.
    for (const text of ['sort {{target.host}}', 'sort a{{target.host}}', 'sort "a"{{target.host}}', "sort 'a b'{{target.host}}"]) {
      expect(readCommand(text), text).toHaveProperty('facts');
    }
  });

  it('reads 1 MB of command template in linear time, however many placeholders stand in one word', { timeout: 60_000 }, () => {
    const MB = 1024 * 1024;
    const x = '{{target.host}}';
    // Each a word of placeholders between plain text, quoted parts, escapes, brace cuts, after an
    // option's = and in an open subscript (what the word's start is waits for its end), and words
    // of one placeholder each.
    const shapes = [`a${x}`, `${x}:`, `"a"${x}`, `\\a${x}`, `{,${x}`].map((unit) => `echo ${unit.repeat(MB / unit.length)}`);
    shapes.push(`echo --o=${x.repeat(MB / x.length)}`, `echo a[${x.repeat(MB / x.length)}`, `echo${` ${x}`.repeat(MB / (x.length + 1))}`);
    const start = cpuStopwatch();
    const readings = shapes.map((text) => readCommand(text));
    expect(readings).toEqual(shapes.map(() => ({ facts: ['target.host'] })));
    // A stall bound: reading the word up to each placeholder again took minutes (over 3 s for 100 KB).
    expect(start.ms()).toBeLessThan(5000 * shapes.length);
  });

  it('is a load check: a pack whose command quotes a placeholder or nests blocks does not load', () => {
    const withCommand = (command: string) => () => kbOf({ hypotheses: [hypothesis('network.packet_loss', { checks: [{ command, where: 'client', confirms: 'x', rulesOut: 'y' }] })] });
    expect(kbProblems(withCommand("mtr -rwc 50 '{{target.host}}'"))).toEqual([
      'file0.yaml at /hypotheses/0/checks/0/command: expected each placeholder outside quotes, ${...} and backticks (rca quotes the value itself; there its quoting is undone or read again), got {{target.host}} inside them',
    ]);
    expect(kbProblems(withCommand('{{#each @root.target}}{{#each @root.target}}x{{/each}}{{/each}}'))).toEqual([
      'file0.yaml at /hypotheses/0/checks/0/command: expected text, comments and {{group.fact}} placeholders only (a command is text an engineer pastes into a shell, each fact one quoted word in it), got a block, a helper or an @data path',
    ]);
    expect(withCommand('mtr -rwc 50 {{target.host}}')).not.toThrow();
  });

  it('takes placeholders as arguments: after options, joined by a colon, as an option\'s =value, an assignment, after a redirection or a loop\'s do', () => {
    for (const text of [
      "curl -g -sS -o /dev/null -w '%{http_code}\\n' {{target.url}}",
      'openssl s_client -connect {{target.host}}:{{target.port}} -servername {{target.host}} </dev/null 2>&1 | grep -E "Verify"',
      'mysql --host={{target.host}}',
      'nc -vz {{target.host}} {{target.port}} 2>&1 {{target.port}}',
      "for v in tls1 tls1_2; do printf '%s ' $v; openssl s_client -connect {{target.host}}:{{target.port}} -$v </dev/null; done",
      "echo '#' {{target.host}} # and {{target.port}}",
      'timeout 10 strace -c -f -p {{proc.top_pid}}',
      'timeout 5 nc -vz {{target.host}} {{target.port}}',
      // The program as the shell finds it (programReader): -s takes do as its value, a quoted timeout is timeout.
      'timeout -s do 5 nc -vz {{target.host}} {{target.port}}',
      '"timeout" 5 nc -vz {{target.host}} {{target.port}}',
      // ssh's destination is its own argument; only what follows goes to the remote shell.
      'ssh -p 2222 {{target.host}} uptime',
      'env | grep {{target.host}}',
      'echo "$(pgrep -f x)" {{target.host}}',
      'cat /sys/fs/cgroup$(cut -d: -f3 /proc/{{proc.app_pid}}/cgroup)/memory.events',
      'ss -tan dst {{target.host}} | awk \'NR>1 {print $1}\' | sort | uniq -c',
      'cat <<< {{target.host}}',
      'echo # a note on {{target.host}}',
    ]) {
      expect(readCommand(text), text).toHaveProperty('facts');
    }
    expect(readCommand('nc -vz {{target.host}} {{target.port}} {{target.host}}')).toEqual({ facts: ['target.host', 'target.port'] });
  });

  const render = (template: string, facts: FactMap) => commandEnvironment().commandTemplate(template, 'test')(facts);

  it('fills facts shell-quoted and shows unknown facts as placeholders', () => {
    expect(render('nc -vz {{target.host}} {{target.port}}', { 'target.host': 'db1' })).toBe("nc -vz db1 '<target.port>'");
    expect(render('curl -sv {{target.url}}', { 'target.url': 'http://a/b?c=1&d=2' })).toBe("curl -sv 'http://a/b?c=1&d=2'");
  });

  it('keeps a hostile host name one inert word, and renders nothing but text and placeholders', () => {
    const quoted = `'x; rm -rf / #\`id\`$(id)'\\''"'`;
    expect(render('ping {{target.host}}', { 'target.host': HOSTILE })).toBe(`ping ${quoted}`);
    // Triple braces read the same fact, quoted all the same.
    expect(render('ping {{{target.host}}}', { 'target.host': HOSTILE })).toBe(`ping ${quoted}`);
    // Loading refuses a block (readCommand); a renderer asked for one anyway refuses it too.
    expect(() => render('{{#if target.host}}ping {{target.host}}{{/if}}', { 'target.host': HOSTILE })).toThrow(TemplateError);
  });

  it('every shipped command is text and placeholders, each placeholder an argument outside quotes', () => {
    const kb = shippedKb();
    const templates = [...[...kb.hypotheses.values()].flatMap((h) => h.value.checks.map((c) => c.command)), ...[...kb.questions.values()].flatMap((q) => (q.value.how ? [q.value.how] : []))];
    expect(templates.length).toBeGreaterThan(50);
    expect(templates.filter((t) => 'problem' in readCommand(t))).toEqual([]);
  });
});

const kb = kbOf({
  hypotheses: [
    hypothesis('network.packet_loss', {
      checks: [{ command: 'mtr -rwc 50 {{target.host}}', where: 'client', confirms: { en: 'loss at a hop', 'zh-CN': '某一跳丢包' }, rulesOut: 'no loss' }],
    }),
  ],
  rules: [
    {
      id: 'loss',
      description: { en: 'ping loses packets', 'zh-CN': 'ping 丢包' },
      conditions: { all: [{ fact: 'ping.result', operator: 'equal', value: 'partial_loss' }] },
      evidence: [{ hypothesis: 'network.packet_loss', cf: 0.6 }],
    },
  ],
});

describe('reports', () => {
  const facts = { 'ping.result': 'partial_loss', 'target.host': HOSTILE } as const;

  it('renders text without colour unless asked', async () => {
    const text = renderReport(await diagnose(kb, facts), 'text');
    // One hypothesis and a rule of cf 0.6 for it: confident, 3% left for a cause the KB does not know.
    expect(text).toContain('Likely root causes\nConfident: one known cause leads; check it first. (no known cause: 3%)\n1. ██████████ 97%  network.packet_loss');
    expect(text).toContain("$ mtr -rwc 50 'x; rm -rf / #`id`$(id)'\\''\"'");
    expect(text).not.toContain('\u001b[');
    expect(renderReport(await diagnose(kb, facts), 'text', { color: true })).toContain('\u001b[1mnetwork.packet_loss\u001b[0m');
  });

  it('renders markdown with fences longer than any backtick run in a command', async () => {
    const md = renderReport(await diagnose(kb, facts, { summary: 'loss | to db' }), 'markdown');
    expect(md).toContain('**Summary:** loss \\| to db');
    expect(md).toContain("```sh\nmtr -rwc 50 'x; rm -rf / #`id`$(id)'\\''\"'\n```\n");
    const fenced = renderReport(await diagnose(kb, { ...facts, 'target.host': 'a```b' }), 'markdown');
    expect(fenced).toContain("````sh\nmtr -rwc 50 'a```b'\n````\n");
    expect(md).toContain('| `loss`: ping loses packets | +0.60 | `ping.result` = partial_loss (actual: partial_loss) |');
  });

  it('renders self-contained, escaped HTML', async () => {
    const html = renderReport(await diagnose(kb, facts), 'html');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<(link|img|iframe)\b|<script[^>]+src=|url\(|@import/i);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//i);
    expect(html).toContain('mtr -rwc 50 &#x27;x; rm -rf / #&#x60;id&#x60;$(id)&#x27;\\&#x27;&#x27;&quot;&#x27;');
    expect(html).toContain('<span style="width: 97%">');
    expect(html).toContain('<p class="verdict verdict-confident">Confident: one known cause leads; check it first. (no known cause: 3%)</p>');
  });

  it("gives each confidence bar's meter the words shown beside it, >99% and <1% as shown, not 100 and 0 (a screen reader speaks the meter)", async () => {
    const incident = JSON.parse(readFileSync('examples/01-apm-agent-cpu.json', 'utf8')) as { facts: unknown };
    const html = renderReport(await diagnoseFacts(incident.facts), 'html');
    const meters = [...html.matchAll(/<div class="bar" role="meter"([^>]*)>[\s\S]*?<div>confidence <strong>([^<]*)<\/strong><\/div>/g)].map(([, attributes, shown]) => [/aria-valuetext="([^"]*)"/.exec(attributes ?? '')?.[1], shown]);
    expect(meters).toEqual([['&gt;99%', '&gt;99%'], ['&lt;1%', '&lt;1%'], ['&lt;1%', '&lt;1%'], ['&lt;1%', '&lt;1%']]);
    expect(html).toContain('aria-valuenow="100" aria-valuetext="&gt;99%"');
  });

  it('speaks Chinese with --lang zh-CN and falls back to English per field', async () => {
    const text = renderReport(await diagnose(kb, facts, { lang: 'zh-CN' }), 'text');
    expect(text).toContain('可能的根因');
    expect(text).toContain('network.packet_loss 的标题');
    expect(text).toContain('ping 丢包');
    expect(text).toContain('若结果如此则证实：某一跳丢包');
    expect(text).toContain('若结果如此则排除：no loss');
  });

  it('renders a custom template with the same data and helpers', async () => {
    const render = customReport('{{#each hypotheses}}{{id}}={{pct confidence}};{{/each}}', 'mine.hbs');
    expect(render(await diagnose(kb, facts))).toBe('network.packet_loss=97%;');
  });

  it('refuses unknown helpers and unknown data in custom templates', async () => {
    const result = await diagnose(kb, facts);
    expect(() => customReport('{{shout summary}}', 'mine.hbs')(result)).toThrow(TemplateError);
    expect(() => customReport('{{shout summary}}', 'mine.hbs')(result)).toThrow(/^mine\.hbs:1:1: expected a known helper \(and, aside, bar, .*\), got "shout"$/);
    expect(() => customReport('{{nothing.here}}', 'mine.hbs')(result)).toThrow(/^mine\.hbs:1:3: expected a value of the data here or a known helper \(.*\), got "here"$/);
  });
});

// The CLI bundle renders the shipped reports from templates precompiled at build time
// (scripts/bundle.mjs): the same reports as compiling them when they are rendered.
describe('precompiled shipped reports', () => {
  it('render every scenario as the templates compiled at render time do, in every format, language and colour', async () => {
    const environment = createTemplateEnvironment(REPORT_HELPERS);
    const formats = ['text', 'markdown', 'html'] as const;
    const precompiled = Object.fromEntries(
      formats.map((format) => {
        const { spec } = precompileReport(format);
        return [format, environment.fromPrecompiled<Diagnosis>(new Function(`return ${spec}`)() as TemplateSpecification, { escape: format, source: `reports/${format}.hbs` })];
      }),
    );
    let compared = 0;
    for (const scenario of loadScenarios().slice(0, 12)) {
      for (const lang of ['en', 'zh-CN']) {
        const result = await diagnoseFacts(scenario.facts, { lang });
        for (const format of formats) {
          for (const color of [false, true]) {
            expect(precompiled[format]?.(result, { color })).toBe(renderReport(result, format, { color }));
            compared++;
          }
        }
      }
    }
    expect(compared).toBe(12 * 2 * 3 * 2);
  });
});
