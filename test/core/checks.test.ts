import { describe, expect, it } from 'vitest';
import { CHECKS, LINT_CHECKS, LOAD_CHECKS, TEST_CHECKS } from '../../src/core/checks/registry.js';
import { formatKbProblem, KbError, locate } from '../../src/core/errors.js';
import { buildKnowledgeBase, loadKnowledgeBase, type KbSource } from '../../src/core/kb.js';
import { localize } from '../../src/core/localize.js';
import { defaultKbDir } from '../../src/core/paths.js';
import { readSchema } from '../../src/core/schemas.js';
import { lintKnowledgeBase } from '../../src/kbtools/lint.js';
import { hypothesis, source } from '../fixtures.js';

/**
 * RuleTester for the check registry: each check has a knowledge base on which it fires (with
 * exactly these findings), a near miss (what it looks at is there, and fine) and an absence
 * (nothing for it to look at). A knowledge base is a list of files (pack 0 unless given).
 */
type Files = Array<{ data: unknown; file?: string; pack?: number }>;
interface Cases {
  fires: { kb: Files; findings: string[] };
  nearMiss: Files;
  absence: Files;
  /** Only the findings about this entry (a check that fires on most of the vocabulary). */
  about?: string;
}

const KB_META = { kb: { name: 'test', version: '1.0.0' } };
/** What curl-write-out says rca parse curl-w reads. */
const CURL_W_EXPECTED = 'expected output rca parse curl-w reads, one line per request of name=value pairs named as curl names them, with http_code and a time_ variable (errormsg last), or %{json}';
const loss = hypothesis('network.packet_loss');
const leaf = (fact: string, operator: string, value: unknown) => ({ fact, operator, value });
const zh = (en: string, text: string) => ({ en, 'zh-CN': text });
const rule = (id: string, conditions: unknown, evidence: unknown[] = [{ hypothesis: 'network.packet_loss', cf: 0.6 }], extra: Record<string, unknown> = {}) => ({ id, description: id, conditions, evidence, ...extra });
const lossRule = rule('base', { all: [leaf('ping.result', 'equal', 'partial_loss')] });
/** One file beside kb.yaml, holding the loss hypothesis, its rule and `extra`. */
const one = (extra: Record<string, unknown> = {}, rules: unknown[] = [lossRule]): Files => [{ data: { hypotheses: [loss], rules, ...extra } }];

/** The loss hypothesis with a check of each of COMMANDS, and a question of each fact with its command (`how`), beside its rule. */
const withCommands = (commands: string[], hows: Record<string, string>): Files =>
  one({
    hypotheses: [hypothesis('network.packet_loss', { checks: commands.map((command) => ({ command, confirms: 'slow', rulesOut: 'fast' })) })],
    questions: Object.entries(hows).map(([fact, how]) => ({ fact, text: `${fact}?`, how })),
  });

/** The files as sources; a kb.yaml naming the KB comes first unless the first file is named (then the files are the whole KB). */
function sourcesOf(files: Files): KbSource[] {
  const withMeta = files[0]?.file !== undefined ? files : [{ data: KB_META, file: 'kb.yaml' }, ...files];
  return withMeta.map((f, i) => ({ ...source(f.data, f.file ?? `file${i}.yaml`), pack: f.pack ?? 0 }));
}

/**
 * The findings of one check, each as "file at path: message" (lint findings name their entry too):
 * what a check finds and at which pointer; the line and column that pointer is on are the locator's
 * (yaml-lines.test.ts).
 */
function findingsOf(check: string, files: Files, about?: string): string[] {
  let kb;
  try {
    kb = buildKnowledgeBase(sourcesOf(files));
  } catch (error) {
    if (!(error instanceof KbError)) throw error;
    expect(error.problems.every((p) => CHECKS.some((c) => c.id === p.check && c.severity === 'fatal')), 'every load problem names its check').toBe(true);
    return error.problems.filter((p) => p.check === check).map((p) => `${locate(p.file, p.path)}: ${p.message}`);
  }
  if (LOAD_CHECKS.some((c) => c.meta.id === check)) return [];
  return lintKnowledgeBase(kb)
    .findings.filter((f) => f.check === check && (about === undefined || f.id === about))
    .map((f) => `${locate(f.file, f.path)}: ${f.message} (${f.id})`);
}

/** A chain of named conditions, each naming the one before `fanOut` times. */
function fanOut(levels: number): Record<string, unknown> {
  const conditions: Record<string, unknown> = { c0: { all: [leaf('ping.result', 'equal', 'ok')] } };
  for (let i = 1; i <= levels; i++) conditions[`c${i}`] = { all: Array.from({ length: 4 }, () => ({ condition: `c${i - 1}` })) };
  return conditions;
}

const CASES: Record<string, Cases> = {
  schema: {
    fires: { kb: one({}, [rule('r1', { all: [leaf('ping.result', 'equal', 'fail')] }, [{ hypothesis: 'network.packet_loss', cf: 1.5 }])]), findings: ['file1.yaml at /rules/0/evidence/0/cf: expected a number <= 1, got number 1.5'] },
    nearMiss: one({}, [rule('r1', { all: [leaf('ping.result', 'equal', 'fail')] }, [{ hypothesis: 'network.packet_loss', cf: 1 }])]),
    absence: [{ data: {} }],
  },
  'kb-section': {
    fires: {
      kb: [{ data: { hypotheses: [] }, file: 'kb.yaml' }, { data: KB_META, file: 'a.yaml' }, { data: KB_META, file: 'b.yaml' }],
      findings: ['kb.yaml at /kb: expected the kb section naming the knowledge base (kb: {name, version}), got none', 'b.yaml at /kb: second kb section (first in a.yaml)'],
    },
    nearMiss: [...one(), { data: { kb: { name: 'acme', version: '2.0.0' } }, file: 'acme.yaml', pack: 1 }],
    absence: [{ data: { hypotheses: [loss], rules: [lossRule] }, file: 'rules.yaml' }],
  },
  'entry-ids': {
    fires: {
      kb: [
        ...one({ commands: { capture: { how: 'tcpdump -c 20 host {{target.host}}' } } }),
        // A named command, like a named condition, is defined once: a pack overrides the questions running it.
        { data: { rules: [lossRule, rule('r2', { all: [leaf('ping.result', 'equal', 'ok')] }, undefined, { override: true })], disable: [{ rule: 'nope', reason: 'not here' }], commands: { capture: { how: 'tcpdump -c 50 host {{target.host}}' } } }, pack: 1 },
      ],
      findings: [
        'file2.yaml at /rules/0: duplicate rule "base" (first defined in file1.yaml:13:3 at /rules/0; set override: true to replace it)',
        'file2.yaml at /rules/1/override: rule "r2" overrides nothing: no earlier pack defines it',
        'file2.yaml at /commands/capture: duplicate command "capture" (first defined in file1.yaml:24:3 at /commands/capture)',
        'file2.yaml at /disable/0/rule: disables unknown rule "nope"',
      ],
    },
    nearMiss: [...one(), { data: { rules: [{ ...lossRule, override: true }], disable: [] }, pack: 1 }],
    absence: one(),
  },
  'fact-declarations': {
    fires: {
      kb: [
        ...one({ facts: { 'acme.depth': { type: 'integer', minimum: 0, description: 'queue depth' }, 'acme.mode': { type: 'integer', enum: ['a'], description: 'mode' }, 'http.status': { type: 'string', description: 'status' } } }),
        { data: { facts: { 'acme.depth': { type: 'number', minimum: 0, description: 'depth' } } }, pack: 1 },
      ],
      findings: [
        'file1.yaml at /facts/acme.mode/enum: expected type string for a fact with enum, got type integer',
        'file1.yaml at /facts/http.status: fact "http.status" clashes with schemas/facts.schema.json: type string here, integer there; minimum none here, 100 there; maximum none here, 599 there',
        'file2.yaml at /facts/acme.depth: fact "acme.depth" clashes with file1.yaml at /facts/acme.depth: type number here, integer there',
      ],
    },
    nearMiss: [...one({ facts: { 'acme.depth': { type: 'integer', minimum: 0, description: 'queue depth' }, 'http.status': { type: 'integer', minimum: 100, maximum: 599, description: 'the status' } } }), { data: { facts: { 'acme.depth': { type: 'integer', minimum: 0, description: 'depth again' } } }, pack: 1 }],
    absence: one(),
  },
  'fact-operator': {
    fires: {
      kb: one({}, [
        rule('r1', { all: [leaf('ping.result', 'greaterThan', 3), leaf('ping.resutl', 'equal', 'ok'), leaf('http.ttfb_ms', 'greaterThan', { fact: 'http.latncy_ms' }), leaf('weather.today', 'equal', 'rain')] }),
        // Past the fact's range (http.status 100..599, ping.loss_pct 0..100): never true, or always.
        rule('r2', { all: [leaf('http.status', 'greaterThan', 700), leaf('ping.loss_pct', 'lessThan', 101), leaf('http.status', 'in', [503, 99]), leaf('http.status', 'notEqual', 600)] }),
        // At a bound that no value passes, or a fraction an integer never equals.
        rule('r3', { all: [leaf('http.status', 'greaterThan', 599), leaf('http.status', 'lessThan', 100), leaf('http.status', 'equal', 200.5), leaf('http.status', 'in', [503.5])] }),
        // in and notIn against another fact: never true, so the rule never fires.
        rule('r4', { all: [leaf('http.status', 'in', { fact: 'http.direct_status' }), leaf('http.status', 'notIn', { fact: 'http.direct_status' })] }),
      ]),
      findings: [
        'file1.yaml at /rules/0/conditions/all/0/operator: expected equal or in for ping.result (one of ok, partial_loss, fail), got greaterThan, which compares numbers',
        'file1.yaml at /rules/0/conditions/all/1: expected a known fact name (did you mean "ping.result"?), got unknown fact "ping.resutl"',
        'file1.yaml at /rules/0/conditions/all/2/value/fact: expected a known fact name (did you mean "http.latency_ms"?), got unknown fact "http.latncy_ms"',
        'file1.yaml at /rules/0/conditions/all/3: expected a known fact name (`rca facts` or GET /v1/schema/facts lists them), got unknown fact "weather.today"',
        'file1.yaml at /rules/1/conditions/all/0/value: expected a value >= 100 and <= 599 (the range of http.status), got 700: every value the fact can take compares the same way with it',
        'file1.yaml at /rules/1/conditions/all/1/value: expected a value >= 0 and <= 100 (the range of ping.loss_pct), got 101: every value the fact can take compares the same way with it',
        'file1.yaml at /rules/1/conditions/all/2/value/1: expected a value >= 100 and <= 599 (the range of http.status), got 99: every value the fact can take compares the same way with it',
        'file1.yaml at /rules/1/conditions/all/3/value: expected a value >= 100 and <= 599 (the range of http.status), got 600: every value the fact can take compares the same way with it',
        "file1.yaml at /rules/2/conditions/all/0/value: expected a value under http.status's maximum 599, got 599: no value of the fact is greater",
        "file1.yaml at /rules/2/conditions/all/1/value: expected a value over http.status's minimum 100, got 100: no value of the fact is less",
        'file1.yaml at /rules/2/conditions/all/2/value: expected a whole number (http.status is an integer), got 200.5: no value of the fact equals it',
        'file1.yaml at /rules/2/conditions/all/3/value/0: expected a whole number (http.status is an integer), got 503.5: no value of the fact equals it',
        'file1.yaml at /rules/3/conditions/all/0/value: expected a list of values for in, got a fact reference (http.direct_status): in is never true against one value; compare two facts with equal',
        'file1.yaml at /rules/3/conditions/all/1/value: expected a list of values for notIn, got a fact reference (http.direct_status): notIn is never true against one value; compare two facts with notEqual',
      ],
    },
    // At the range's ends is inside it; equal compares two facts, in a list written out.
    nearMiss: one({}, [rule('r1', { all: [leaf('ping.loss_pct', 'greaterThan', 3), leaf('ping.loss_pct', 'lessThan', 100), leaf('http.status', 'in', [100, 599]), leaf('http.status', 'greaterThanInclusive', 599), leaf('ping.loss_pct', 'greaterThan', 99.5), leaf('http.status', 'equal', { fact: 'http.direct_status' }), leaf('http.status', 'notIn', [502, 503])] })]),
    absence: [{ data: { hypotheses: [loss] } }],
  },
  'unknown-condition': {
    fires: { kb: one({}, [rule('r1', { all: [{ condition: 'lossy' }] })]), findings: ['file1.yaml at /rules/0/conditions/all/0/condition: unknown condition "lossy"'] },
    nearMiss: one({ conditions: { lossy: { all: [leaf('ping.result', 'equal', 'partial_loss')] } } }, [rule('r1', { all: [{ condition: 'lossy' }] })]),
    absence: one(),
  },
  'condition-references': {
    fires: { kb: one({ conditions: { a: { all: [{ condition: 'b' }] }, b: { any: [{ condition: 'a' }] } } }), findings: ['file1.yaml at /conditions/a: condition reference cycle: a -> b -> a'] },
    nearMiss: one({ conditions: { a: { all: [{ condition: 'b' }] }, b: { all: [leaf('ping.result', 'equal', 'ok')] } } }, [rule('r1', { all: [{ condition: 'a' }] })]),
    absence: one(),
  },
  'condition-expansion': {
    fires: { kb: one({ conditions: fanOut(9) }, [rule('r1', { all: [{ condition: 'c9' }] })]), findings: ['file1.yaml at /conditions/c9: expected a condition of at most 250000 parts once its references are expanded, got more'] },
    nearMiss: one({ conditions: fanOut(8) }, [rule('r1', { all: [{ condition: 'c8' }] })]),
    absence: one(),
  },
  'unknown-hypothesis': {
    fires: {
      kb: one({}, [rule('r1', { all: [leaf('ping.result', 'equal', 'ok')] }, [{ hypothesis: 'network.nope', cf: 0.5 }, { hypothesis: 'network.packet_los', cf: 0.5 }])]),
      findings: ['file1.yaml at /rules/0/evidence/0/hypothesis: unknown hypothesis "network.nope"', 'file1.yaml at /rules/0/evidence/1/hypothesis: unknown hypothesis "network.packet_los" (did you mean "network.packet_loss"?)'],
    },
    nearMiss: one({}, [rule('r1', { all: [leaf('ping.result', 'equal', 'ok')] }, [{ hypothesis: 'network.packet_loss', cf: 0.5 }])]),
    absence: [{ data: { hypotheses: [loss] } }],
  },
  'replaced-by': {
    fires: {
      kb: one({}, [lossRule, rule('old', { all: [leaf('ping.result', 'equal', 'fail')] }, undefined, { status: 'deprecated' }), rule('older', { all: [leaf('ping.result', 'equal', 'ok')] }, undefined, { replacedBy: 'gone' })]),
      findings: ['file1.yaml at /rules/1/status: a deprecated rule names its replacement: add replacedBy', 'file1.yaml at /rules/2/replacedBy: unknown rule "gone"'],
    },
    nearMiss: one({}, [lossRule, rule('old', { all: [leaf('ping.result', 'equal', 'fail')] }, undefined, { status: 'deprecated', replacedBy: 'base' })]),
    absence: one(),
  },
  'question-fact': {
    fires: { kb: one({ questions: [{ fact: 'dns.nope', text: 'Does it?' }] }), findings: ['file1.yaml at /questions/0/fact: expected a known fact name (`rca facts` or GET /v1/schema/facts lists them), got unknown fact "dns.nope"'] },
    nearMiss: one({ questions: [{ fact: 'dns.result', text: 'Does it resolve?' }] }),
    absence: one(),
  },
  'named-command': {
    fires: {
      kb: one({
        commands: { ping_target: { how: 'ping -c 100 {{target.host}}', paste: 'ping', carries: ['ping.result', 'ping.loss_pct'] } },
        hypotheses: [
          hypothesis('network.packet_loss', {
            checks: [
              { run: 'ping_targte', confirms: 'loss', rulesOut: 'none' },
              { run: 'ping_target', command: 'ping -c 3 {{target.host}}', confirms: 'loss', rulesOut: 'none' },
              { confirms: 'loss', rulesOut: 'none' },
            ],
          }),
        ],
        questions: [
          { fact: 'ping.result', text: 'Ping?', run: 'ping_targte' },
          // The question's own command beside the one it runs: two, one of them unread.
          { fact: 'ping.loss_pct', text: 'Loss?', run: 'ping_target', paste: 'ping', how: 'ping -c 3 {{target.host}}' },
        ],
      }),
      findings: [
        'file1.yaml at /questions/0/run: expected the name of a command defined under commands, got unknown "ping_targte" (did you mean "ping_target"?)',
        'file1.yaml at /questions/1/how: expected either run or how, paste and carries, got how and paste beside run "ping_target" (the command it runs says them)',
        'file1.yaml at /hypotheses/0/checks/0/run: expected the name of a command defined under commands, got unknown "ping_targte" (did you mean "ping_target"?)',
        'file1.yaml at /hypotheses/0/checks/1/command: expected either run or command, got command beside run "ping_target" (the command it runs says it)',
        'file1.yaml at /hypotheses/0/checks/2: expected command (the command line) or run (the name of a command under commands), got neither',
      ],
    },
    nearMiss: one({
      commands: { ping_target: { how: 'ping -c 100 {{target.host}}', paste: 'ping', carries: ['ping.result', 'ping.loss_pct'] } },
      hypotheses: [hypothesis('network.packet_loss', { checks: [{ run: 'ping_target', confirms: 'loss', rulesOut: 'none' }] })],
      questions: [{ fact: 'ping.result', text: 'Ping?', run: 'ping_target' }],
    }),
    absence: one(),
  },
  'command-template': {
    fires: {
      kb: [
        {
          data: {
            hypotheses: [hypothesis('network.packet_loss', { checks: [{ command: 'ping {{target.hots}}', confirms: 'a', rulesOut: 'b' }, { run: 'capture', confirms: 'a', rulesOut: 'b' }] })],
            rules: [lossRule],
            // A named command's template is checked once, where the command is written, not at the questions and checks running it.
            commands: { capture: { how: 'tcpdump host {{target.hots}}' } },
            questions: [
              { fact: 'ping.result', text: 'Ping?', how: 'ping {{target.host' },
              { fact: 'tcp.rst_seen', text: 'Resets?', run: 'capture' },
              { fact: 'tcp.zero_window', text: 'Zero windows?', run: 'capture' },
            ],
          },
        },
      ],
      findings: [
        'file1.yaml at /commands/capture/how: expected a known fact name (did you mean "target.host"?), got unknown fact "target.hots"',
        'file1.yaml at /hypotheses/0/checks/0/command: expected a known fact name (did you mean "target.host"?), got unknown fact "target.hots"',
        'file1.yaml at /questions/0/how: parse error on line 1 at "ping {{target.h": expected a name, got a character that cannot stand there',
      ],
    },
    nearMiss: one({ questions: [{ fact: 'ping.result', text: 'Ping?', how: 'ping {{target.host}}' }] }),
    absence: [{ data: { hypotheses: [hypothesis('network.packet_loss', { checks: [] })], rules: [lossRule] } }],
  },
  'command-variants': {
    fires: {
      kb: one({
        hypotheses: [
          hypothesis('network.packet_loss', {
            checks: [
              // A number cannot name variants; an unknown fact is said as anywhere else.
              { command: 'mtr {{target.host}}', confirms: 'loss', rulesOut: 'none', commandBy: { fact: 'ping.loss_pct', variants: { '5': { command: 'mtr -c 5 {{target.host}}', confirms: 'loss', rulesOut: 'none' } } } },
              { command: 'mtr {{target.host}}', confirms: 'loss', rulesOut: 'none', commandBy: { fact: 'app.runtim', variants: { node: { command: 'mtr {{target.host}}', confirms: 'loss', rulesOut: 'none' } } } },
              // A boolean's variants are named true and false.
              { command: 'mtr {{target.host}}', confirms: 'loss', rulesOut: 'none', commandBy: { fact: 'tcp.rst_seen', variants: { yes: { command: 'mtr {{target.host}}', confirms: 'loss', rulesOut: 'none' } } } },
            ],
          }),
        ],
        questions: [
          // Lab 206: a typo of a runtime would leave a Node.js service asked for jstat.
          { fact: 'ping.result', text: 'Ping?', how: 'ping -c 3 {{target.host}}', howBy: { fact: 'app.runtime', variants: { nodejs: { how: 'ping -c 5 {{target.host}}' }, 'a/b': { how: 'ping -c 5 {{target.host}}' } } } },
          { fact: 'app.runtime', text: 'Runtime?', how: 'ps -o args -p {{proc.app_pid}}', howBy: { fact: 'app.runtime', variants: { node: { how: 'ps -o args -p {{proc.app_pid}}' } } } },
          { fact: 'http.direct_status', text: 'Direct?', how: 'curl -sS -o /dev/null http://{{backend.host}}/', paste: 'curl-w', pasteAs: { 'http.status': 'http.direct_status' }, howBy: { fact: 'app.runtime', variants: { node: { how: 'curl -sS http://{{backend.host}}/', paste: 'curl-w' } } } },
          // pasteAs names what its paste fills: carries beside it would say it twice.
          { fact: 'http.direct_latency_ms', text: 'Direct time?', how: 'curl -sS -o /dev/null http://{{backend.host}}/', paste: 'curl-w', pasteAs: { 'http.latency_ms': 'http.direct_latency_ms' }, carries: ['http.latency_ms'] },
          // pasteAs says how a paste is read: without one (its own or its command's) it reads nothing.
          { fact: 'tcp.connect', text: 'Connects?', how: 'curl -sS -o /dev/null http://{{backend.host}}/', pasteAs: { 'tcp.connect': 'tcp.connect' } },
        ],
      }),
      findings: [
        'file1.yaml at /hypotheses/0/checks/0/commandBy/fact: expected an enum or boolean fact, whose values name the variants, got number fact "ping.loss_pct"',
        'file1.yaml at /hypotheses/0/checks/1/commandBy/fact: expected a known fact name (did you mean "app.runtime"?), got unknown fact "app.runtim"',
        'file1.yaml at /hypotheses/0/checks/2/commandBy/variants/yes: expected a value tcp.rst_seen takes (one of true, false), got "yes": this variant could never be chosen',
        'file1.yaml at /questions/0/howBy/variants/nodejs: expected a value app.runtime takes (one of jvm, dotnet, go, node, python, ruby, php, beam, native, other), got "nodejs": this variant could never be chosen',
        'file1.yaml at /questions/0/howBy/variants/a~1b: expected a value app.runtime takes (one of jvm, dotnet, go, node, python, ruby, php, beam, native, other), got "a/b": this variant could never be chosen',
        "file1.yaml at /questions/1/howBy/fact: expected another fact than the question's own, got app.runtime: it is unknown while the question is asked, so no variant could be chosen",
        "file1.yaml at /questions/2/pasteAs: expected howBy or pasteAs, got both: a variant's paste fills the facts its kind reads, not those pasteAs names",
        'file1.yaml at /questions/3/carries: expected carries or pasteAs, got both: pasteAs names the facts its paste fills',
        'file1.yaml at /questions/4/pasteAs: expected paste beside pasteAs (its own, or that of the command it runs), got none: pasteAs says how a paste is read',
      ],
    },
    nearMiss: one({
      hypotheses: [hypothesis('network.packet_loss', { checks: [{ command: 'mtr {{target.host}}', confirms: 'loss', rulesOut: 'none', commandBy: { fact: 'tcp.rst_seen', variants: { true: { command: 'tcpdump -c 20 tcp[tcpflags] & tcp-rst != 0', confirms: 'resets', rulesOut: 'none' } } } }] })],
      questions: [{ fact: 'ping.result', text: 'Ping?', how: 'ping -c 3 {{target.host}}', howBy: { fact: 'app.runtime', variants: { node: { how: 'ping -c 5 {{target.host}}' } } } }],
    }),
    absence: one(),
  },
  'model-section': {
    fires: {
      kb: [
        {
          data: {
            hypotheses: [
              hypothesis('network.packet_loss', {
                likelihoods: { 'ping.result': { partial_loss: 0.7, lost: 0.2, fail: 0.3 }, 'target.host': { a: 0.5 }, 'tcp.connect': {}, 'tcp.rst_seen': { true: 0.3, false: 0.5 }, 'host.swapping': { true: 0.4 } },
              }),
            ],
            rules: [lossRule],
          },
        },
        { data: { model: { outcomes: { 'ping.result': { low: [0, 1] }, 'ping.loss_pct': { half: [60, 40] }, 'ping.loss_pc': { some: [1, 99] } }, background: { 'ping.result': { ok: 0.8 }, 'tcp.connect': { ok: 0.8 }, 'tcp.rst_seen': { true: 0.3 } } } } },
      ],
      findings: [
        'file2.yaml at /model/outcomes/ping.result: expected a numeric fact to bin, got enum fact "ping.result"',
        'file2.yaml at /model/outcomes/ping.loss_pct/half: expected [min, max] with min <= max, got [60, 40]',
        'file2.yaml at /model/outcomes/ping.loss_pc: expected a known fact name (did you mean "ping.loss_pct"?), got unknown fact "ping.loss_pc"',
        'file1.yaml at /hypotheses/0/likelihoods/ping.result/lost: expected one of ok, partial_loss, fail, got "lost"',
        'file1.yaml at /hypotheses/0/likelihoods/ping.result: expected probabilities summing to at most 1, got 1.2',
        // Bins are for numbers only: a string fact cannot be binned.
        'file1.yaml at /hypotheses/0/likelihoods/target.host: expected a fact with outcomes (enum, boolean, or binned number), got string fact "target.host" with no outcomes',
        'file1.yaml at /hypotheses/0/likelihoods/tcp.connect: expected the probability of at least one of ok, refused, timeout, reset, got none',
        'file1.yaml at /hypotheses/0/likelihoods/tcp.rst_seen: expected the probabilities of every outcome to sum to 1, got 0.8',
        'file1.yaml at /hypotheses/0/likelihoods/host.swapping: expected a row for host.swapping in model.background (how it reads across incidents in general), got none: its outcomes would be taken as even',
      ],
    },
    nearMiss: [
      { data: { hypotheses: [hypothesis('network.packet_loss', { likelihoods: { 'ping.result': { partial_loss: 0.7, fail: 0.3 }, 'ping.loss_pct': { some: 0.9 }, 'tcp.rst_seen': { true: 0.3, false: 0.7 } } })], rules: [lossRule] } },
      { data: { model: { outcomes: { 'ping.loss_pct': { none: [0, 0], some: [0.001, 100] } }, background: { 'ping.result': { ok: 0.8 }, 'ping.loss_pct': { some: 0.1 }, 'tcp.rst_seen': { true: 0.3 } } } } },
      { data: { model: { override: true, ruleWeight: 3 } }, pack: 1 },
    ],
    absence: one(),
  },
  'contradictory-conditions': {
    fires: {
      kb: one({ conditions: { lossy_or_down: { any: [leaf('ping.result', 'equal', 'fail'), leaf('ping.result', 'equal', 'partial_loss')] } } }, [
        lossRule,
        rule('r1', { all: [leaf('ping.result', 'equal', 'ok'), leaf('ping.result', 'equal', 'fail')] }),
        // Every branch of the any contradicts the all around it.
        rule('r2', { all: [leaf('ping.result', 'equal', 'ok'), { any: [leaf('ping.result', 'equal', 'fail'), leaf('ping.result', 'equal', 'partial_loss')] }] }),
        // A branch that contradicts itself: dead, while the other branch still fires.
        rule('r3', { any: [leaf('tcp.connect', 'equal', 'ok'), { all: [leaf('ping.loss_pct', 'greaterThan', 10), leaf('ping.loss_pct', 'lessThan', 5)] }] }),
        // An any a named condition brings in, at the reference.
        rule('r4', { all: [leaf('ping.result', 'equal', 'ok'), { condition: 'lossy_or_down' }] }),
        // A branch that contradicts the all around it.
        rule('r5', { all: [leaf('ping.loss_pct', 'greaterThan', 10), { any: [leaf('ping.loss_pct', 'lessThan', 5), leaf('tcp.connect', 'equal', 'ok')] }] }),
        // A branch dead because no branch of its own any can hold under the leaves of every all it is in.
        rule('r6', { all: [leaf('ping.result', 'equal', 'ok'), { any: [{ all: [leaf('tcp.connect', 'equal', 'ok'), { any: [leaf('ping.result', 'equal', 'fail'), leaf('ping.result', 'equal', 'partial_loss')] }] }, leaf('tcp.connect', 'equal', 'refused')] }] }),
      ]),
      findings: [
        'file1.yaml at /rules/1/conditions/all/1: can never fire: ping.result must equal "ok" and "fail" (r1)',
        'file1.yaml at /rules/2/conditions/all/1: can never fire: no branch of its any can hold (ping.result must equal "ok" and "fail"; ping.result must equal "ok" and "partial_loss") (r2)',
        'file1.yaml at /rules/3/conditions/any/1/all/1: this branch of an any can never hold: ping.loss_pct must be > 10 and < 5 (r3)',
        'file1.yaml at /rules/4/conditions/all/1: can never fire: no branch of its any can hold (ping.result must equal "ok" and "fail"; ping.result must equal "ok" and "partial_loss") (r4)',
        'file1.yaml at /rules/5/conditions/all/1/any/0: this branch of an any can never hold: ping.loss_pct must be > 10 and < 5 (r5)',
        'file1.yaml at /rules/6/conditions/all/1/any/0/all/1: this branch of an any can never hold: no branch of its any can hold (ping.result must equal "ok" and "fail"; ping.result must equal "ok" and "partial_loss") (r6)',
      ],
    },
    nearMiss: one({}, [
      lossRule,
      rule('r1', { any: [leaf('ping.result', 'equal', 'ok'), leaf('ping.result', 'equal', 'fail')] }),
      // One branch agrees with the all around it, and the other reads another fact.
      rule('r2', { all: [leaf('ping.loss_pct', 'greaterThan', 10), { any: [leaf('ping.loss_pct', 'lessThan', 50), leaf('tcp.connect', 'equal', 'ok')] }] }),
      rule('r3', { all: [leaf('ping.result', 'in', ['ok', 'fail']), { any: [leaf('ping.result', 'equal', 'ok'), leaf('ping.result', 'equal', 'fail')] }] }),
      // A branch's leaves are not the other branch's, nor is what a not negates.
      rule('r4', { any: [{ all: [leaf('ping.result', 'equal', 'ok'), leaf('tcp.connect', 'equal', 'ok')] }, { all: [leaf('ping.result', 'equal', 'fail'), leaf('tcp.connect', 'equal', 'refused')] }] }),
      rule('r5', { all: [leaf('ping.result', 'equal', 'ok'), { not: { any: [leaf('ping.result', 'equal', 'fail'), leaf('ping.result', 'equal', 'partial_loss')] } }] }),
      // Two anys side by side are judged against the all's leaves, each on its own (ping.result fail holds both).
      rule('r6', { all: [{ any: [leaf('ping.result', 'equal', 'ok'), leaf('ping.result', 'equal', 'fail')] }, { any: [leaf('ping.result', 'equal', 'fail'), leaf('ping.result', 'equal', 'partial_loss')] }] }),
    ]),
    absence: [{ data: { hypotheses: [loss] } }],
  },
  'fires-on-absence': {
    fires: { kb: one({}, [lossRule, rule('r1', { all: [leaf('ping.result', 'notEqual', 'ok')] })]), findings: ['file1.yaml at /rules/1/conditions/all/0: uses ping.result notEqual: state what was seen (equal / in) so the rule does not read as firing on a missing fact (r1)'] },
    nearMiss: one({}, [lossRule, rule('r1', { all: [leaf('ping.result', 'in', ['partial_loss', 'fail'])] })]),
    absence: [{ data: { hypotheses: [loss] } }],
  },
  'duplicate-rule': {
    fires: { kb: one({}, [lossRule, rule('twin', { all: [leaf('ping.result', 'equal', 'partial_loss')] })]), findings: ['file1.yaml at /rules/1/conditions: has the same conditions as base (file1.yaml at /rules/0): merge their evidence into one rule (twin)'] },
    nearMiss: one({}, [lossRule, rule('other', { all: [leaf('ping.result', 'equal', 'fail')] })]),
    absence: one(),
  },
  'subsumed-rule': {
    fires: {
      kb: one({}, [lossRule, rule('narrow', { all: [leaf('ping.result', 'equal', 'partial_loss'), leaf('ping.loss_pct', 'greaterThan', 5)] })]),
      findings: ['file1.yaml at /rules/1/conditions: includes every condition of base: whenever it fires base fires too, counting evidence for network.packet_loss twice (narrow)'],
    },
    // Near misses: the narrower rule weighs the other way; a rule with a `not` asks more than its
    // leaves (a rule of a `not` alone has none, which every rule's leaves would include).
    nearMiss: one({}, [
      lossRule,
      rule('narrow', { all: [leaf('ping.result', 'equal', 'partial_loss'), leaf('ping.loss_pct', 'greaterThan', 5)] }, [{ hypothesis: 'network.packet_loss', cf: -0.3 }]),
      rule('only_not', { not: leaf('ping.result', 'equal', 'ok') }),
      rule('guarded', { all: [leaf('ping.result', 'equal', 'partial_loss'), { not: leaf('tcp.connect', 'equal', 'refused') }] }),
    ]),
    absence: one(),
  },
  'unsupported-hypothesis': {
    fires: { kb: one({ hypotheses: [loss, hypothesis('network.port_closed')] }, [lossRule, rule('r1', { all: [leaf('tcp.connect', 'equal', 'ok')] }, [{ hypothesis: 'network.port_closed', cf: -0.5 }])]), findings: ['file1.yaml at /hypotheses/1: no rule supports it (no positive cf), so it can never be ranked (network.port_closed)'] },
    nearMiss: one({ hypotheses: [loss, hypothesis('network.port_closed')] }, [lossRule, rule('r1', { all: [leaf('tcp.connect', 'equal', 'refused')] }, [{ hypothesis: 'network.port_closed', cf: 0.1 }])]),
    absence: [{ data: {} }],
  },
  'weak-hypothesis': {
    fires: { kb: one({}, [rule('r1', { all: [leaf('ping.result', 'equal', 'partial_loss')] }, [{ hypothesis: 'network.packet_loss', cf: 0.2 }])]), findings: ['file1.yaml at /hypotheses/0: all its supporting rules together reach only 0.20 (< 0.5) (network.packet_loss)'] },
    nearMiss: one({}, [rule('r1', { all: [leaf('ping.result', 'equal', 'partial_loss')] }, [{ hypothesis: 'network.packet_loss', cf: 0.5 }])]),
    absence: [{ data: { hypotheses: [loss] } }],
  },
  'surface-evidence': {
    fires: {
      kb: one({}, [rule('proxy_says', { all: [leaf('proxy.upstream_error', 'equal', 'read_timeout')] }, [{ hypothesis: 'network.packet_loss', cf: 0.6 }])]),
      findings: ["file1.yaml at /rules/0/evidence/0/cf: reads only the ticket's surface (proxy.upstream_error) and gives network.packet_loss 0.6: expected at most 0.5, or a lintIgnore saying why this surface is the cause itself (proxy_says)"],
    },
    // Near misses: at the bound, and as strong with a finding beside the surface.
    nearMiss: one({}, [
      rule('at_bound', { all: [leaf('http.status', 'equal', 504), leaf('path.via_lb', 'equal', true)] }, [{ hypothesis: 'network.packet_loss', cf: 0.5 }]),
      rule('with_finding', { all: [leaf('proxy.upstream_error', 'equal', 'read_timeout'), leaf('ping.loss_pct', 'greaterThan', 5)] }, [{ hypothesis: 'network.packet_loss', cf: 0.9 }]),
    ]),
    absence: [{ data: {} }],
  },
  'indistinct-evidence': {
    // Partial loss is as likely under a blocking firewall as under loss; at ruleWeight 6 loss's own table (0.5 against 0.1) is worth cf 0.26.
    fires: {
      kb: [
        {
          data: {
            hypotheses: [hypothesis('network.packet_loss', { likelihoods: { 'ping.result': { partial_loss: 0.5 } } }), hypothesis('network.firewall_drop', { likelihoods: { 'ping.result': { partial_loss: 0.5 } } })],
            rules: [lossRule],
            model: { ruleWeight: 6, background: { 'ping.result': { ok: 0.8, partial_loss: 0.1 } } },
          },
        },
      ],
      findings: [
        "file1.yaml at /rules/0/evidence/0/cf: reads only ping.result and gives network.packet_loss 0.6, but the likelihood tables make its condition as likely under network.firewall_drop (0.50) as under network.packet_loss (0.50): expected at most 0.26 (what network.packet_loss's own table gives it), another table for network.firewall_drop, or a lintIgnore saying why the fact is network.packet_loss's own mark (base)",
      ],
    },
    // Near miss: the firewall's table makes partial loss less likely than loss's does.
    nearMiss: [
      {
        data: {
          hypotheses: [hypothesis('network.packet_loss', { likelihoods: { 'ping.result': { partial_loss: 0.5 } } }), hypothesis('network.firewall_drop', { likelihoods: { 'ping.result': { partial_loss: 0.2 } } })],
          rules: [lossRule],
          model: { ruleWeight: 6, background: { 'ping.result': { ok: 0.8, partial_loss: 0.1 } } },
        },
      },
    ],
    absence: [{ data: {} }],
  },
  'unmodelled-hypothesis': {
    fires: { kb: one(), findings: ['file1.yaml at /hypotheses/0: no likelihoods: give the facts its cause makes likely (likelihoods: {fact: {value: probability}}), as docs/knowledge-base.md "The differential" shows (network.packet_loss)'] },
    nearMiss: [{ data: { hypotheses: [hypothesis('network.packet_loss', { likelihoods: { 'ping.result': { partial_loss: 0.8 } } })], rules: [lossRule] } }],
    absence: [{ data: { rules: [] } }],
  },
  'check-outcome': {
    fires: { kb: [{ data: { hypotheses: [hypothesis('network.packet_loss', { checks: [{ command: 'mtr {{target.host}}', confirms: 'loss', rulesOut: 'loss' }] })], rules: [lossRule] } }], findings: ['file1.yaml at /hypotheses/0/checks/0: confirms and rulesOut say the same: say what each outcome looks like (network.packet_loss)'] },
    nearMiss: one(),
    absence: [{ data: { hypotheses: [hypothesis('network.packet_loss', { checks: [] })], rules: [lossRule] } }],
  },
  'cjk-spacing': {
    fires: { kb: [{ data: { hypotheses: [hypothesis('network.packet_loss', { title: { en: 'Loss', 'zh-CN': '路径上 丢包' } })], rules: [lossRule] } }], findings: ['file1.yaml at /hypotheses/0/title/zh-CN: a space between Chinese characters: "上 丢" (network.packet_loss)'] },
    nearMiss: [{ data: { hypotheses: [hypothesis('network.packet_loss', { title: { en: 'Loss', 'zh-CN': '用 mtr 看丢包' } })], rules: [lossRule] } }],
    absence: [{ data: { hypotheses: [hypothesis('network.packet_loss', { title: { en: 'Loss' } })], rules: [lossRule] } }],
  },
  'untranslated-text': {
    fires: {
      kb: [{ data: { hypotheses: [hypothesis('network.packet_loss', { title: { en: 'Loss on the path', 'zh-CN': 'Loss on the path' } })], rules: [lossRule], questions: [{ fact: 'ping.result', text: { en: 'Ping?', 'zh-CN': 'ping 通吗？' }, help: { en: 'Ping the host', 'zh-CN': 'TODO: ping the host' } }] } }],
      findings: [
        'file1.yaml at /hypotheses/0/title/zh-CN: expected Chinese under zh-CN, got text without a Chinese character: "Loss on the path" (network.packet_loss)',
        'file1.yaml at /questions/0/help/zh-CN: expected Chinese under zh-CN, got text without a Chinese character: "TODO: ping the host" (ping.result)',
      ],
    },
    // An acronym or a command alone is the same in both languages; Latin words beside Chinese are a translation.
    nearMiss: [{ data: { hypotheses: [hypothesis('network.packet_loss', { title: { en: 'DNS', 'zh-CN': 'DNS' }, description: { en: 'Loss on the path', 'zh-CN': '用 mtr 看丢包' } })], rules: [lossRule] } }],
    absence: [{ data: { hypotheses: [hypothesis('network.packet_loss', { title: { en: 'Loss on the path' } })], rules: [lossRule] } }],
  },
  'missing-translation': {
    fires: {
      kb: [
        {
          data: {
            hypotheses: [
              hypothesis('network.packet_loss', {
                title: 'Loss',
                checks: [
                  {
                    command: 'mtr {{target.host}}',
                    confirms: 'loss',
                    rulesOut: { en: 'no loss', zh: '不丢包' },
                    commandBy: { fact: 'app.runtime', variants: { node: { command: 'mtr -c 5 {{target.host}}', confirms: zh('loss', '丢包'), rulesOut: 'no loss' } } },
                  },
                ],
              }),
            ],
            rules: [lossRule],
            questions: [{ fact: 'ping.result', text: 'Ping?', help: { en: 'Ping the host' } }],
            facts: { 'acme.depth': { type: 'integer', description: 'queue depth' } },
          },
        },
      ],
      findings: [
        'file1.yaml at /hypotheses/0/title: expected texts in en and zh-CN, got a plain string (en only) (network.packet_loss)',
        'file1.yaml at /hypotheses/0/description: expected texts in en and zh-CN, got a plain string (en only) (network.packet_loss)',
        'file1.yaml at /hypotheses/0/checks/0/confirms: expected texts in en and zh-CN, got a plain string (en only) (network.packet_loss)',
        'file1.yaml at /hypotheses/0/checks/0/rulesOut: expected texts in en and zh-CN, got en, zh (no zh-CN) (network.packet_loss)',
        'file1.yaml at /hypotheses/0/checks/0/commandBy/variants/node/rulesOut: expected texts in en and zh-CN, got a plain string (en only) (network.packet_loss)',
        'file1.yaml at /rules/0/description: expected texts in en and zh-CN, got a plain string (en only) (base)',
        'file1.yaml at /questions/0/text: expected texts in en and zh-CN, got a plain string (en only) (ping.result)',
        'file1.yaml at /questions/0/help: expected texts in en and zh-CN, got en (no zh-CN) (ping.result)',
        'file1.yaml at /facts/acme.depth/description: expected texts in en and zh-CN, got a plain string (en only) (acme.depth)',
      ],
    },
    nearMiss: [
      {
        data: {
          hypotheses: [hypothesis('network.packet_loss', { description: zh('Packets are lost', '丢包'), checks: [{ command: 'mtr {{target.host}}', confirms: zh('loss', '丢包'), rulesOut: zh('no loss', '不丢包') }] })],
          rules: [{ ...lossRule, description: zh('Partial loss', '部分丢包') }],
          questions: [{ fact: 'ping.result', text: zh('Ping?', 'ping 通吗？'), help: zh('Ping the host', 'ping 一下主机') }],
          facts: { 'acme.depth': { type: 'integer', description: zh('queue depth', '队列深度') } },
        },
      },
    ],
    absence: [{ data: {} }],
  },
  'unknown-language': {
    fires: {
      kb: [
        {
          data: {
            hypotheses: [hypothesis('network.packet_loss', { title: { en: 'Loss', zh_CN: '丢包' }, checks: [{ command: 'mtr {{target.host}}', confirms: { en: 'loss', cn: '丢包' }, rulesOut: { en: 'no loss', 'zh-cn': '不丢包', fr: 'pas de perte' } }] })],
            rules: [{ ...lossRule, description: { en: 'Partial loss', zh: '部分丢包' } }],
            questions: [{ fact: 'ping.result', text: { 'en-US': 'Ping?', en: 'Ping?' } }],
            facts: { 'acme.depth': { type: 'integer', description: { en: 'queue depth', 'zh-Hans': '队列深度', 'zh/CN': '队列深度' } } },
          },
        },
      ],
      findings: [
        'file1.yaml at /hypotheses/0/title/zh_CN: expected en or zh-CN (did you mean "zh-CN"?), got "zh_CN": a text under any other key is never shown (network.packet_loss)',
        'file1.yaml at /hypotheses/0/checks/0/confirms/cn: expected en or zh-CN (did you mean "zh-CN"?), got "cn": a text under any other key is never shown (network.packet_loss)',
        'file1.yaml at /hypotheses/0/checks/0/rulesOut/zh-cn: expected en or zh-CN (did you mean "zh-CN"?), got "zh-cn": a text under any other key is never shown (network.packet_loss)',
        'file1.yaml at /hypotheses/0/checks/0/rulesOut/fr: expected en or zh-CN, got "fr": a text under any other key is never shown (network.packet_loss)',
        'file1.yaml at /rules/0/description/zh: expected en or zh-CN (did you mean "zh-CN"?), got "zh": a text under any other key is never shown (base)',
        'file1.yaml at /questions/0/text/en-US: expected en or zh-CN (did you mean "en"?), got "en-US": a text under any other key is never shown (ping.result)',
        'file1.yaml at /facts/acme.depth/description/zh-Hans: expected en or zh-CN (did you mean "zh-CN"?), got "zh-Hans": a text under any other key is never shown (acme.depth)',
        'file1.yaml at /facts/acme.depth/description/zh~1CN: expected en or zh-CN, got "zh/CN": a text under any other key is never shown (acme.depth)',
      ],
    },
    nearMiss: [
      {
        data: {
          hypotheses: [hypothesis('network.packet_loss', { checks: [{ command: 'mtr {{target.host}}', confirms: zh('loss', '丢包'), rulesOut: { en: 'no loss' } }] })],
          rules: [{ ...lossRule, description: zh('Partial loss', '部分丢包') }],
          questions: [{ fact: 'ping.result', text: 'Ping?' }],
        },
      },
    ],
    absence: [{ data: {} }],
  },
  'unread-fact': {
    // It fires on nearly every fact of the vocabulary here: the cases look at target.url alone.
    about: 'target.url',
    fires: { kb: one(), findings: ['schemas/facts.schema.json at /properties/target.url: no rule or likelihood reads this fact (target.url)'] },
    nearMiss: one({ questions: [{ fact: 'target.url', text: 'Which URL?' }] }),
    absence: one({}, [lossRule, rule('r1', { all: [leaf('target.url', 'equal', 'http://db1/')] })]),
  },
  'orphan-question': {
    fires: { kb: one({ questions: [{ fact: 'dns.result', text: 'Does it resolve?' }] }), findings: ['file1.yaml at /questions/0: asks for dns.result, which no rule or likelihood reads (dns.result)'] },
    nearMiss: one({ questions: [{ fact: 'ping.result', text: 'Ping?' }] }),
    absence: one(),
  },
  'paste-kind': {
    fires: {
      kb: one({
        questions: [
          { fact: 'ping.result', text: 'Ping?', how: 'ping -c 20 {{target.host}}', paste: 'pnig' },
          { fact: 'ping.loss_pct', text: 'Loss?', how: 'curl -sS -o /dev/null {{target.url}}', paste: 'curl-w' },
          // Another endpoint's output: curl-w carries no ping.result, and the question's own fact is not among those it stands for.
          { fact: 'http.direct_status', text: 'Direct?', how: 'curl -sS -o /dev/null http://{{backend.host}}/', paste: 'curl-w', pasteAs: { 'ping.result': 'http.direct_status' } },
          { fact: 'http.direct_latency_ms', text: 'Direct time?', how: 'curl -sS -o /dev/null http://{{backend.host}}/', paste: 'curl-w', pasteAs: { 'http.status': 'http.direct_status' } },
          // One fact read two ways: a direct artifact's reading would depend on the question order.
          { fact: 'tcp.connect_ms', text: 'Connect?', how: 'curl -sS -o /dev/null http://{{backend.host}}/', paste: 'curl-w', pasteAs: { 'http.status': 'tcp.connect_ms' } },
          // What the output carries: a fact ping never reads; the question's own fact left out.
          { fact: 'ping.rtt_avg_ms', text: 'RTT?', how: 'ping -c 20 {{target.host}}', paste: 'ping', carries: ['ping.rtt_avg_ms', 'http.status'] },
          { fact: 'ping.rtt_max_ms', text: 'Worst RTT?', how: 'ping -c 20 {{target.host}}', paste: 'ping', carries: ['ping.result'] },
          // A named command that leaves out the fact of a question running it: placed at the command.
          { fact: 'dns.result', text: 'Resolves?', run: 'ping_summary' },
          // What a named command says of its own paste is reported once, at the command, however many questions run it.
          { fact: 'tcp.retransmit_pct', text: 'Retransmits?', run: 'counters' },
          { fact: 'tcp.reordering', text: 'Reordering?', run: 'counters' },
          { fact: 'kernel.listen_overflows', text: 'Overflows?', run: 'misspelt' },
          { fact: 'kernel.csum_errors', text: 'Checksum errors?', run: 'misspelt' },
        ],
        commands: {
          ping_summary: { how: 'ping -c 20 {{target.host}}', paste: 'ping', carries: ['ping.result'] },
          counters: { how: 'nstat -az TcpOutSegs TcpRetransSegs TcpExtTCPSACKReorder', paste: 'nstat', carries: ['tcp.retransmit_pct', 'tcp.reordering', 'http.status'] },
          misspelt: { how: 'nstat -az TcpExtListenOverflows TcpInCsumErrors', paste: 'nsat', carries: ['kernel.listen_overflows', 'kernel.csum_errors'] },
        },
      }, [lossRule, rule('r1', { all: [leaf('ping.loss_pct', 'greaterThan', 5)] })]),
      findings: [
        'file1.yaml at /questions/0/paste: names parse kind "pnig", which rca parse does not have (rca parse --list): expected one of ping, ping-mtu, mtr, tcp-connect, tcpdump, strace-c, strace-t, curl-w, curl-v, curl-i, top, vmstat, iostat, mpstat, pidstat, cpu-stat, cgroup-memory, psi, free, df, fd-count, netstat-s, nstat, ss-s, ss-i, ephemeral-ports, conntrack-s, ethtool-s, dig, resolv-conf, openssl, dmesg, jstat, gc-log, thread-dump, nginx-error, haproxy-log, haproxy-stat, kubectl-describe, app-errors (ping.result)',
        'file1.yaml at /questions/1/paste: names parse kind "curl-w", which does not carry ping.loss_pct: expected one of ping, mtr (ping.loss_pct)',
        'file1.yaml at /questions/2/pasteAs/ping.result: reads ping.result from a paste of "curl-w", which does not carry it (http.direct_status)',
        'file1.yaml at /questions/3/pasteAs: expected http.direct_latency_ms among the facts the paste stands for, got http.direct_status (http.direct_latency_ms)',
        "file1.yaml at /questions/4/pasteAs/http.status: reads http.status as tcp.connect_ms, where file1.yaml at /questions/3 reads it as http.direct_status: expected one reading of each fact (they are how a direct request's output is read) (tcp.connect_ms)",
        'file1.yaml at /questions/5/carries/1: names http.status among what a paste of "ping" carries, which that kind never reads (ping.rtt_avg_ms)',
        'file1.yaml at /questions/6/carries: expected ping.rtt_max_ms among the facts its paste carries, got ping.result (ping.rtt_max_ms)',
        'file1.yaml at /commands/ping_summary/carries: expected dns.result among the facts its paste carries, got ping.result (dns.result)',
        'file1.yaml at /commands/counters/carries/2: names http.status among what a paste of "nstat" carries, which that kind never reads (tcp.retransmit_pct)',
        'file1.yaml at /commands/misspelt/paste: names parse kind "nsat", which rca parse does not have (rca parse --list): expected one of ping, ping-mtu, mtr, tcp-connect, tcpdump, strace-c, strace-t, curl-w, curl-v, curl-i, top, vmstat, iostat, mpstat, pidstat, cpu-stat, cgroup-memory, psi, free, df, fd-count, netstat-s, nstat, ss-s, ss-i, ephemeral-ports, conntrack-s, ethtool-s, dig, resolv-conf, openssl, dmesg, jstat, gc-log, thread-dump, nginx-error, haproxy-log, haproxy-stat, kubectl-describe, app-errors (kernel.listen_overflows)',
      ],
    },
    nearMiss: one({
      questions: [
        { fact: 'ping.result', text: 'Ping?', how: 'ping -c 20 {{target.host}}', paste: 'ping', carries: ['ping.result', 'ping.loss_pct'] },
        { fact: 'http.direct_status', text: 'Direct?', how: 'curl -sS -o /dev/null http://{{backend.host}}/', paste: 'curl-w', pasteAs: { 'http.status': 'http.direct_status' } },
        // The same reading twice, as the shipped direct questions give it.
        { fact: 'http.direct_latency_ms', text: 'Direct time?', how: 'curl -sS -o /dev/null http://{{backend.host}}/', paste: 'curl-w', pasteAs: { 'http.status': 'http.direct_status', 'http.latency_ms': 'http.direct_latency_ms' } },
      ],
    }),
    absence: one({ questions: [{ fact: 'ping.result', text: 'Ping?', how: 'ping -c 20 {{target.host}}' }] }),
  },
  'paste-carries': {
    fires: {
      kb: one({
        questions: [
          { fact: 'ping.result', text: 'Ping?', how: 'ping -c 20 {{target.host}}', paste: 'ping' },
          { fact: 'tcp.retransmit_pct', text: 'Retransmits?', how: 'nstat -az TcpOutSegs TcpRetransSegs; sleep 10; nstat -az TcpOutSegs TcpRetransSegs', paste: 'nstat' },
        ],
      }),
      findings: [
        'file1.yaml at /questions/0/paste: pastes "ping", which also carries ping.loss_pct, ping.rtt_avg_ms, ping.rtt_max_ms, dns.result, dns.temporary_failure: expected carries, the facts the output of its command prints (the interview and the replay count them all without it) (ping.result)',
        'file1.yaml at /questions/1/paste: pastes "nstat", which also carries tcp.reordering, kernel.listen_overflows, kernel.rp_filter_drops, kernel.csum_errors: expected carries, the facts the output of its command prints (the interview and the replay count them all without it) (tcp.retransmit_pct)',
      ],
    },
    nearMiss: one({
      questions: [
        // Said; a kind that carries the question's fact alone; another endpoint's output, whose pasteAs names what it fills.
        { fact: 'ping.result', text: 'Ping?', how: 'ping -c 20 {{target.host}}', paste: 'ping', carries: ['ping.result', 'ping.loss_pct'] },
        { fact: 'ping.large_packet_fail', text: 'Large packets?', how: 'ping -M do -s 1472 -c 3 {{target.host}}', paste: 'ping-mtu' },
        { fact: 'http.direct_status', text: 'Direct?', how: 'curl -sS -o /dev/null http://{{backend.host}}/', paste: 'curl-w', pasteAs: { 'http.status': 'http.direct_status' } },
      ],
    }),
    absence: one({ questions: [{ fact: 'ping.result', text: 'Ping?', how: 'ping -c 20 {{target.host}}' }] }),
  },
  'curl-write-out': {
    fires: {
      kb: withCommands(
        ["timeout 10 curl -sSw '%{http_code}\\n' {{target.url}}", 'curl -s -o /dev/null -w @format.txt {{target.url}}'],
        {
          // Bare values, names of its own, no http_code, and a loop's requests run into one line.
          'http.status': "curl -sS -o /dev/null -w '%{http_code} %{time_total}\\n' {{target.url}}",
          'http.ttfb_ms': "curl -s -o /dev/null -w 'http_code=%{http_code} ttfb=%{time_starttransfer}\\n' {{target.url}}",
          'tcp.connect_ms': "curl -s -o /dev/null --write-out 'time_connect=%{time_connect}\\n' {{target.url}}",
          'http.error_rate_pct': "for i in $(seq 10); do curl -s -o /dev/null -w 'http_code=%{http_code} time_total=%{time_total}' {{target.url}}; done",
        },
      ),
      findings: [
        `file1.yaml at /questions/0/how: runs curl -w '%{http_code} %{time_total}\\n': ${CURL_W_EXPECTED}; got "200 0.100000\\n" for a request: write -w 'http_code=%{http_code} time_total=%{time_total}\\n' (http.status)`,
        `file1.yaml at /questions/1/how: runs curl -w 'http_code=%{http_code} ttfb=%{time_starttransfer}\\n': ${CURL_W_EXPECTED}; got "http_code=200 ttfb=0.100000\\n" for a request: write -w 'http_code=%{http_code} time_starttransfer=%{time_starttransfer}\\n' (http.ttfb_ms)`,
        `file1.yaml at /questions/2/how: runs curl -w 'time_connect=%{time_connect}\\n': ${CURL_W_EXPECTED}; got "time_connect=0.100000\\n" for a request: write -w 'http_code=%{http_code} time_connect=%{time_connect}\\n' (tcp.connect_ms)`,
        `file1.yaml at /questions/3/how: runs curl -w 'http_code=%{http_code} time_total=%{time_total}': ${CURL_W_EXPECTED}; got "http_code=200 time_total=0.100000http_code=200 time_total=0.100000" for 2 requests of its loop: write -w 'http_code=%{http_code} time_total=%{time_total}\\n' (http.error_rate_pct)`,
        `file1.yaml at /hypotheses/0/checks/0/command: runs curl -w '%{http_code}\\n': ${CURL_W_EXPECTED}; got "200\\n" for a request: write -w 'http_code=%{http_code} time_total=%{time_total}\\n' (network.packet_loss)`,
        'file1.yaml at /hypotheses/0/checks/1/command: runs curl -w @format.txt: expected the format itself in the command, so that what it prints can be checked, got one read from a file (network.packet_loss)',
      ],
    },
    nearMiss: withCommands(
      ["for i in $(seq 50); do curl -g -s -o /dev/null -w 'time_total=%{time_total} http_code=%{http_code}\\n' {{target.url}}; done | sort -t= -k2 -n", "echo curl -w '%{http_code}'; curl -g -sI {{target.url}}"],
      {
        // A named subset, errormsg last; %{json}, also in a loop; the last -w is the one curl uses.
        'http.status': "curl -g -sS -o /dev/null -w 'http_code=%{http_code} time_connect=%{time_connect} errormsg=%{errormsg}\\n' {{target.url}}",
        'http.ttfb_ms': "curl -g -s -o /dev/null -w '%{json}' {{target.url}}",
        'http.error_rate_pct': 'while true; do curl -g -s -o /dev/null -w "%{json}\\n" {{target.url}}; done',
        'tcp.connect_ms': "curl -g -s -o /dev/null -w '%{http_code}' -w 'http_code=%{http_code} time_connect=%{time_connect}\\n' {{target.url}}",
      },
    ),
    absence: one({ questions: [{ fact: 'ping.result', text: 'Ping?', how: 'ping -c 20 {{target.host}}' }] }),
  },
  'bounded-command': {
    fires: {
      kb: withCommands(
        ['tcpdump -ni any tcp port {{target.port}}', "strace -f -e trace=network -p {{proc.app_pid}}", 'LC_ALL=C curl -sI {{target.url}} | grep -i date'],
        {
          'ping.result': 'ping {{target.host}}',
          'host.iowait_pct': 'iostat -x 1; top -b -d 1',
          'tls.sni_sent': 'tshark -i any -Y tls.handshake.type==1 tcp port {{target.port}}',
          'tcp.close_wait_count': 'journalctl -fu nginx | grep -c CLOSE',
        },
      ),
      findings: [
        'file1.yaml at /questions/0/how: expected a command that ends by itself, got ping without -c or -w, which pings until interrupted: write -c N (ping.result)',
        'file1.yaml at /questions/1/how: expected a command that ends by itself, got iostat with an interval and no count, which reports until interrupted: write a count after the interval (iostat 1 5) (host.iowait_pct)',
        'file1.yaml at /questions/1/how: expected a command that ends by itself, got top -b without -n, which writes a screen every delay until interrupted: write -n N (host.iowait_pct)',
        'file1.yaml at /questions/2/how: expected a command that ends by itself, got tshark without -c or -a, which captures until interrupted: write -c N or -a duration:SECONDS (tls.sni_sent)',
        'file1.yaml at /questions/3/how: expected a command that ends by itself, got journalctl -f, which follows until interrupted: write journalctl without -f, or under timeout (tcp.close_wait_count)',
        'file1.yaml at /hypotheses/0/checks/0/command: expected a command that ends by itself, got tcpdump without -c, which captures (and prints, or writes) until interrupted: write -c N, to stop after N packets (network.packet_loss)',
        'file1.yaml at /hypotheses/0/checks/1/command: expected a command that ends by itself, got strace -p, which traces (and slows) the process until interrupted: write timeout 10 strace ... (network.packet_loss)',
        'file1.yaml at /hypotheses/0/checks/2/command: expected a command that ends by itself, got curl without --max-time, which waits on a stalled server for ever: write --max-time SECONDS (network.packet_loss)',
      ],
    },
    // Each bounded: a count in a cluster (-nnc), a deadline, timeout around it, a saved capture read, a count after the interval, -m.
    nearMiss: withCommands(
      ['tcpdump -nnc 50 -i any tcp port {{target.port}}', 'timeout 10 strace -f -p {{proc.app_pid}}', 'curl -sI -m 30 {{target.url}}', 'tshark -r capture.pcap -q -z io,stat,0'],
      {
        'ping.result': 'ping -w 20 {{target.host}}',
        'host.iowait_pct': 'iostat -x -p sda 1 5; top -b -n 2 -d 1; vmstat',
        'tls.sni_sent': 'tshark -i any -a duration:60 tcp port {{target.port}}',
        'tcp.close_wait_count': 'journalctl -u nginx --since -1h | grep -c CLOSE; strace -c ls /',
      },
    ),
    absence: one({ questions: [{ fact: 'ping.result', text: 'Ping?', how: 'dig {{target.host}}' }] }),
  },
  'ipv6-capture-filter': {
    fires: {
      kb: withCommands(["tcpdump -nn -c 20 -i any port {{target.port}} and 'tcp[tcpflags] & tcp-rst != 0'"], { 'tcp.syn_retransmits': "tcpdump -ni any -c 20 'tcp[13] & 2 != 0' and host {{target.host}} | head" }),
      findings: [
        'file1.yaml at /questions/0/how: expected a capture filter that matches IPv6 flows too, got "tcp[13] & 2 != 0 and host {{target.host}}", whose header offsets libpcap reads on IPv4 packets only: add an ip6[] alternative, e.g. (tcp[tcpflags] & tcp-syn != 0 or ip6[40+13] & 0x02 != 0) (tcp.syn_retransmits)',
        'file1.yaml at /hypotheses/0/checks/0/command: expected a capture filter that matches IPv6 flows too, got "port {{target.port}} and tcp[tcpflags] & tcp-rst != 0", whose header offsets libpcap reads on IPv4 packets only: add an ip6[] alternative, e.g. (tcp[tcpflags] & tcp-syn != 0 or ip6[40+13] & 0x02 != 0) (network.packet_loss)',
      ],
    },
    // The same flags read in IPv6 packets too; a header offset as an option's value (-i tcp[x] is an interface name) is no filter.
    nearMiss: withCommands(["tcpdump -nn -c 20 -i any port {{target.port}} and '(tcp[tcpflags] & tcp-rst != 0 or ip6[40+13] & 0x04 != 0)'"], { 'tcp.syn_retransmits': "tcpdump -n -c 5 -w 'tcp[1].pcap' host {{target.host}}" }),
    absence: withCommands(['tcpdump -nn -c 20 -i any host {{target.host}} and port {{target.port}}'], {}),
  },
  'unused-condition': {
    fires: { kb: one({ conditions: { never_used: { all: [leaf('tcp.connect', 'equal', 'ok')] } } }), findings: ['file1.yaml at /conditions/never_used: no rule or question references it (never_used)'] },
    nearMiss: one({ conditions: { asked: { all: [leaf('tcp.connect', 'equal', 'ok')] } }, questions: [{ fact: 'ping.result', text: 'Ping?', askIf: { condition: 'asked' } }] }),
    absence: one(),
  },
  'unused-command': {
    fires: { kb: one({ commands: { ping_target: { how: 'ping -c 3 {{target.host}}' } } }), findings: ['file1.yaml at /commands/ping_target: no question or check runs it (ping_target)'] },
    // One check runs it: in use.
    nearMiss: one({ commands: { ping_target: { how: 'ping -c 3 {{target.host}}' } }, hypotheses: [hypothesis('network.packet_loss', { checks: [{ run: 'ping_target', confirms: 'loss', rulesOut: 'none' }] })] }),
    absence: one(),
  },
  'command-written-out': {
    fires: {
      kb: one({
        commands: { ping_target: { how: 'ping -c 100 {{target.host}}', paste: 'ping', carries: ['ping.result', 'ping.loss_pct'] } },
        questions: [
          { fact: 'ping.result', text: 'Ping?', run: 'ping_target' },
          // The command, its paste and what it gives, written out again.
          { fact: 'ping.loss_pct', text: 'Loss?', how: 'ping -c 100 {{target.host}}', paste: 'ping', carries: ['ping.result', 'ping.loss_pct'] },
        ],
        hypotheses: [hypothesis('network.packet_loss', { checks: [{ command: 'ping -c 100 {{target.host}}', confirms: 'loss', rulesOut: 'none' }] })],
      }),
      findings: [
        'file1.yaml at /questions/1/how: writes out the command of ping_target: expected run: ping_target, its one copy (ping.loss_pct)',
        'file1.yaml at /hypotheses/0/checks/0/command: writes out the command of ping_target: expected run: ping_target, its one copy (network.packet_loss)',
      ],
    },
    // The same text run elsewhere or read for something else (another client, several runs compared: its own carries), a
    // check one character apart, and a check and a question that run it by name.
    nearMiss: one({
      commands: { ping_target: { how: 'ping -c 100 {{target.host}}', paste: 'ping', carries: ['ping.result', 'ping.loss_pct'] } },
      questions: [
        { fact: 'ping.result', text: 'Ping?', run: 'ping_target' },
        { fact: 'ping.rtt_max_ms', text: 'Worst RTT?', how: 'ping -c 100 {{target.host}}', paste: 'ping', carries: ['ping.rtt_max_ms'] },
        { fact: 'ping.loss_pct', text: 'Loss from another client?', how: 'ping -c 100 {{target.host}}' },
      ],
      hypotheses: [hypothesis('network.packet_loss', { checks: [{ command: 'ping -c 200 {{target.host}}', confirms: 'loss', rulesOut: 'none' }, { run: 'ping_target', confirms: 'loss', rulesOut: 'none' }] })],
    }),
    absence: one(),
  },
  'rule-placement': {
    fires: {
      kb: [{ data: { hypotheses: [loss], rules: [lossRule] } }, { data: { hypotheses: [hypothesis('network.port_closed')], rules: [rule('r1', { all: [leaf('tcp.connect', 'equal', 'refused'), leaf('ping.result', 'equal', 'partial_loss')] }, [{ hypothesis: 'network.port_closed', cf: 0.3 }, { hypothesis: 'network.packet_loss', cf: 0.6 }])] } }],
      findings: ['file2.yaml at /rules/0: supports network.packet_loss most (cf 0.6): move it to file1.yaml, beside the hypothesis (r1)'],
    },
    // The rule supports port_closed more than packet_loss, and a later pack may add rules for an earlier pack's hypothesis anywhere.
    nearMiss: [
      { data: { hypotheses: [loss], rules: [lossRule] } },
      { data: { hypotheses: [hypothesis('network.port_closed')], rules: [rule('r1', { all: [leaf('tcp.connect', 'equal', 'refused')] }, [{ hypothesis: 'network.packet_loss', cf: 0.3 }, { hypothesis: 'network.port_closed', cf: 0.6 }])] } },
      { data: { rules: [rule('r2', { all: [leaf('ping.loss_pct', 'greaterThan', 5)] })] }, pack: 1 },
    ],
    absence: one(),
  },
  'lint-ignore': {
    fires: {
      kb: one(
        { hypotheses: [hypothesis('network.packet_loss', { lintIgnore: [{ check: 'weak-hypotesis', reason: 'new' }] })], questions: [{ fact: 'ping.result', text: 'Ping?', lintIgnore: [{ check: 'orphan-questoin', reason: 'asked anyway' }] }] },
        [{ ...lossRule, lintIgnore: [{ check: 'fires-on-absense', reason: 'we know' }, { check: 'schema', reason: 'too strict' }, { check: 'weather', reason: 'none close' }] }],
      ),
      findings: [
        'file1.yaml at /rules/0/lintIgnore/0/check: expected a lint check or near-miss, as rca kb lint --list names them (did you mean "fires-on-absence"?), got "fires-on-absense": it switches nothing off (base)',
        'file1.yaml at /rules/0/lintIgnore/1/check: expected a lint check or near-miss, as rca kb lint --list names them, got load check "schema": its findings stop the knowledge base loading, and cannot be switched off (base)',
        'file1.yaml at /rules/0/lintIgnore/2/check: expected a lint check or near-miss, as rca kb lint --list names them, got "weather": it switches nothing off (base)',
        'file1.yaml at /hypotheses/0/lintIgnore/0/check: expected a lint check or near-miss, as rca kb lint --list names them (did you mean "weak-hypothesis"?), got "weak-hypotesis": it switches nothing off (network.packet_loss)',
        'file1.yaml at /questions/0/lintIgnore/0/check: expected a lint check or near-miss, as rca kb lint --list names them (did you mean "orphan-question"?), got "orphan-questoin": it switches nothing off (ping.result)',
      ],
    },
    // A lint check, and kb test's near-miss, which `rca kb lint --list` lists with them.
    nearMiss: one({ questions: [{ fact: 'ping.result', text: 'Ping?', lintIgnore: [{ check: 'orphan-question', reason: 'asked anyway' }] }] }, [{ ...lossRule, lintIgnore: [{ check: 'fires-on-absence', reason: 'we know' }, { check: 'near-miss', reason: 'holds whenever known' }] }]),
    absence: one(),
  },
};

describe('the check registry', () => {
  it('lists every check once, load checks fatal and lint checks error or warning, each with a sentence and a why', () => {
    expect(new Set(CHECKS.map((c) => c.id)).size).toBe(CHECKS.length);
    expect(LOAD_CHECKS.every((c) => c.meta.severity === 'fatal')).toBe(true);
    expect(LINT_CHECKS.every((c) => c.meta.severity === 'error' || c.meta.severity === 'warning')).toBe(true);
    // kb test's check, which a rule waives with lintIgnore: listed with the others, last.
    expect(TEST_CHECKS.map((c) => [c.meta.id, c.meta.severity])).toEqual([['near-miss', 'error']]);
    expect(CHECKS.map((c) => c.id).slice(-1)).toEqual(['near-miss']);
    for (const { id, docs } of CHECKS) {
      expect(docs.description, id).toMatch(/^[A-Z`a-z].{10,}\.$/);
      expect(docs.why, id).toMatch(/^.{20,}[.)]$/);
    }
  });

  it('has a fires / near miss / absence case for every load and lint check (kb test\'s are test/curation/tester.test.ts\'s)', () => {
    expect(Object.keys(CASES).sort()).toEqual([...LOAD_CHECKS, ...LINT_CHECKS].map((c) => c.meta.id).sort());
  });

  for (const [check, cases] of Object.entries(CASES)) {
    describe(check, () => {
      it('fires, with exactly these findings', () => expect(findingsOf(check, cases.fires.kb, cases.about)).toEqual(cases.fires.findings));
      it('is silent on a near miss', () => expect(findingsOf(check, cases.nearMiss, cases.about)).toEqual([]));
      it('is silent when there is nothing for it to look at', () => expect(findingsOf(check, cases.absence, cases.about)).toEqual([]));
    });
  }

  it('load checks run per entry in registry order, and stop a file at its schema', () => {
    const kb: Files = [{ data: { rules: 'not a list' } }, ...one({}, [rule('r1', { all: [leaf('ping.resutl', 'equal', 'ok')] }, [{ hypothesis: 'network.nope', cf: 0.5 }], { status: 'deprecated' })])];
    try {
      buildKnowledgeBase(sourcesOf(kb));
      expect.unreachable();
    } catch (error) {
      expect((error as KbError).problems.map((p) => `${p.check}: ${formatKbProblem(p)}`)).toEqual(['schema: file1.yaml:1:1 at /rules: expected array, got string "not a list"']);
    }
    expect(() => buildKnowledgeBase(sourcesOf(kb.slice(1)))).toThrow(
      ['file1.yaml:17:9 at /rules/0/conditions/all/0: expected a known fact name (did you mean "ping.result"?), got unknown fact "ping.resutl"', 'file1.yaml:21:9 at /rules/0/evidence/0/hypothesis: unknown hypothesis "network.nope"', 'file1.yaml:23:5 at /rules/0/status: a deprecated rule names its replacement: add replacedBy'].join('\n'),
    );
  });

  it('schema: a question naming a paste kind has the command whose output it is', () => {
    expect(findingsOf('schema', one({ questions: [{ fact: 'ping.result', text: 'Ping?', paste: 'ping' }] }))).toEqual(['file1.yaml at /questions/0: expected property "how" beside "paste", got an object']);
  });

  it('schema: a condition is judged as the kind it was meant to be, however deep: only what that kind lacks, each on its own', () => {
    const at = (conditions: unknown) => findingsOf('schema', one({}, [rule('r1', conditions, [{ hypothesis: 'network.packet_loss', cf: 0.5 }])]));
    expect(at({ all: [{ any: [{ fact: 'ping.result', value: 'ok' }] }] })).toEqual(['file1.yaml at /rules/0/conditions/all/0/any/0: expected property "operator", got an object']);
    expect(at({ all: [{ fact: 'ping.result', operater: 'equal', value: 'ok' }] })).toEqual([
      'file1.yaml at /rules/0/conditions/all/0: expected property "operator", got an object',
      'file1.yaml at /rules/0/conditions/all/0/operater: expected no property "operater" (did you mean "operator"?), got an unknown field',
    ]);
    // Many broken conditions in an `all` keep it an `all`: never "expected property any".
    expect(at({ all: [{ fact: 'ping.result', value: 'ok' }, { fact: 'tcp.connect', value: 'ok' }, { fact: 'dns.result', value: 'ok' }] })).toEqual(
      [0, 1, 2].map((i) => `file1.yaml at /rules/0/conditions/all/${i}: expected property "operator", got an object`),
    );
    expect(at({ all: ['ping.result'] })).toEqual(['file1.yaml at /rules/0/conditions/all/0: expected object, got string "ping.result"']);
  });

  it('model-section: one model section per pack, found while merging, before the other checks run', () => {
    const kb: Files = [...one(), { data: { model: { otherCausePrior: 0.2 } } }, { data: { model: { ruleWeight: 3 } } }, { data: { model: { ruleWeight: 4 } }, pack: 1 }];
    expect(findingsOf('model-section', kb)).toEqual([
      'file3.yaml at /model: second model section (first in file2.yaml)',
      'file4.yaml at /model: second model section (first in file2.yaml; set override: true to replace its fields)',
    ]);
  });

  it('model-section: "no known cause"\'s row is checked like every table, and a later pack\'s override replaces the facts it names in it', () => {
    expect(findingsOf('model-section', [...one(), { data: { model: { otherCause: { 'ping.result': { lost: 0.2, fail: 0.9 } } } } }])).toEqual([
      'file2.yaml at /model/otherCause/ping.result: expected a row for ping.result in model.background (how it reads across incidents in general), got none: its outcomes would be taken as even',
      'file2.yaml at /model/otherCause/ping.result/lost: expected one of ok, partial_loss, fail, got "lost"',
      'file2.yaml at /model/otherCause/ping.result: expected probabilities summing to at most 1, got 1.1',
    ]);
    const packed = buildKnowledgeBase(
      sourcesOf([
        ...one(),
        { data: { model: { background: { 'ping.result': { ok: 0.8 }, 'tcp.connect': { ok: 0.8 } }, otherCause: { 'ping.result': { fail: 0.5 }, 'tcp.connect': { refused: 0.4 } } } } },
        { data: { model: { override: true, otherCause: { 'ping.result': { fail: 0.2 } } } }, pack: 1 },
      ]),
    );
    expect(packed.model?.otherCause).toEqual({ 'ping.result': { fail: 0.2 }, 'tcp.connect': { refused: 0.4 } });
  });

  it('missing-translation reads every field the schema types localizedText, as its fires case shows', () => {
    // A text field added to kb-file.schema.json goes into the check (and its fires case) too.
    const { definitions } = readSchema('kb-file.schema.json') as { definitions: Record<string, { properties?: Record<string, { $ref?: string }> }> };
    const localized = Object.entries(definitions).flatMap(([name, d]) => Object.entries(d.properties ?? {}).flatMap(([field, p]) => (p.$ref === '#/definitions/localizedText' ? [`${name}.${field}`] : [])));
    expect(localized.sort()).toEqual(['check.confirms', 'check.rulesOut', 'checkVariant.confirms', 'checkVariant.rulesOut', 'factDeclaration.description', 'hypothesis.description', 'hypothesis.title', 'question.help', 'question.text', 'rule.description']);
  });

  it("a variant of a question's command (howBy) or of a check (commandBy) is checked as the default is, where it is written", () => {
    const variant = (how: string, paste?: string) => [{ fact: 'ping.result', text: 'Ping?', how: 'ping -c 3 {{target.host}}', howBy: { fact: 'app.runtime', variants: { node: { how, ...(paste !== undefined && { paste }) } } } }];
    const checkVariant = (command: string, rulesOut = 'no loss') =>
      one({ hypotheses: [hypothesis('network.packet_loss', { checks: [{ command: 'mtr {{target.host}}', confirms: 'loss', rulesOut: 'none', commandBy: { fact: 'app.runtime', variants: { node: { command, confirms: 'loss', rulesOut } } } }] })] });
    expect(findingsOf('command-template', one({ questions: variant('ping {{target.hots}}') }))).toEqual([
      'file1.yaml at /questions/0/howBy/variants/node/how: expected a known fact name (did you mean "target.host"?), got unknown fact "target.hots"',
    ]);
    expect(findingsOf('command-template', checkVariant('mtr {{target.hots}}'))).toEqual([
      'file1.yaml at /hypotheses/0/checks/0/commandBy/variants/node/command: expected a known fact name (did you mean "target.host"?), got unknown fact "target.hots"',
    ]);
    expect(findingsOf('paste-kind', one({ questions: variant('ping -c 5 {{target.host}}', 'jstat') }))).toEqual([
      'file1.yaml at /questions/0/howBy/variants/node/paste: names parse kind "jstat", which does not carry ping.result: expected one of ping, mtr (ping.result)',
    ]);
    expect(findingsOf('paste-kind', one({ questions: variant('ping -c 5 {{target.host}}', 'ping') }))).toEqual([]);
    expect(findingsOf('curl-write-out', checkVariant("curl -sS -o /dev/null -w '%{http_code}\\n' {{target.url}}"))).toEqual([
      `file1.yaml at /hypotheses/0/checks/0/commandBy/variants/node/command: runs curl -w '%{http_code}\\n': ${CURL_W_EXPECTED}; got "200\\n" for a request: write -w 'http_code=%{http_code} time_total=%{time_total}\\n' (network.packet_loss)`,
    ]);
    expect(findingsOf('check-outcome', checkVariant('mtr -c 5 {{target.host}}', 'loss'))).toEqual([
      'file1.yaml at /hypotheses/0/checks/0/commandBy/variants/node: confirms and rulesOut say the same: say what each outcome looks like (network.packet_loss)',
    ]);
    // A fact that only names a variant's command, or only chooses the variant, is read.
    expect(findingsOf('unread-fact', checkVariant('curl -g -sS {{target.url}}'), 'target.url')).toEqual([]);
    expect(findingsOf('unread-fact', checkVariant('mtr -c 5 {{target.host}}'), 'app.runtime')).toEqual([]);
  });

  it('unknown-language and localize agree: a text under a key lint refuses is never shown, whatever language is asked for', () => {
    const misKeyed = { en: 'Loss', zh: '丢包', zh_CN: '丢包', cn: '丢包', fr: 'Perte' };
    expect(['zh-CN', 'zh', 'ZH-tw', 'fr', 'en-GB'].map((lang) => localize(misKeyed, lang))).toEqual(['Loss', 'Loss', 'Loss', 'Loss', 'Loss']);
    const written = { en: 'Loss', 'zh-CN': '丢包' };
    expect(['zh-CN', 'zh', 'ZH-tw', 'en', 'en-GB', 'fr'].map((lang) => localize(written, lang))).toEqual(['丢包', '丢包', 'Loss', 'Loss', 'Loss', 'Loss']);
  });

  it('unread-fact and orphan-question: a fact a check\'s or a question\'s command names fills that command, so collecting it is not in vain', () => {
    expect(findingsOf('unread-fact', withCommands(['curl -g -sS {{target.url}}'], {}), 'target.url')).toEqual([]);
    expect(findingsOf('unread-fact', withCommands([], { 'ping.result': 'curl -g -sS {{target.url}}' }), 'target.url')).toEqual([]);
    // The question asks for the fact its own command names: the answer fills it.
    expect(findingsOf('orphan-question', withCommands([], { 'target.url': 'curl -g -sS {{target.url}}' }))).toEqual([]);
    // Commands naming other facts leave target.url unread.
    expect(findingsOf('unread-fact', withCommands(['ping -c 3 {{target.host}}'], { 'ping.result': 'ping -c 3 {{target.host}}' }), 'target.url')).toEqual([
      'schemas/facts.schema.json at /properties/target.url: no rule or likelihood reads this fact (target.url)',
    ]);
  });

  it("unread-fact: a fact a question's askIf or askUnless reads (directly or through a named condition) spares a question, so collecting it is not in vain", () => {
    const byAddress = { all: [leaf('target.host_is_ip', 'equal', true)] };
    expect(findingsOf('unread-fact', one({ questions: [{ fact: 'dns.result', text: 'Resolves?', askUnless: byAddress }] }), 'target.host_is_ip')).toEqual([]);
    expect(findingsOf('unread-fact', one({ conditions: { address: byAddress }, questions: [{ fact: 'dns.result', text: 'Resolves?', askIf: { condition: 'address' } }] }), 'target.host_is_ip')).toEqual([]);
    expect(findingsOf('unread-fact', one({ questions: [{ fact: 'dns.result', text: 'Resolves?' }] }), 'target.host_is_ip')).toEqual([
      'schemas/facts.schema.json at /properties/target.host_is_ip: no rule or likelihood reads this fact (target.host_is_ip)',
    ]);
  });

  it('a question\'s askUnless is checked and walked as its askIf is: an unknown condition named at it, a condition it alone references used', () => {
    const asking = (askUnless: unknown, conditions: Record<string, unknown> = {}) => one({ conditions, questions: [{ fact: 'ping.result', text: 'Ping?', askUnless }] });
    expect(findingsOf('unknown-condition', asking({ condition: 'lossy' }))).toEqual(['file1.yaml at /questions/0/askUnless/condition: unknown condition "lossy"']);
    expect(findingsOf('unknown-condition', asking({ condition: 'lossy' }, { lossy: { all: [leaf('ping.result', 'equal', 'partial_loss')] } }))).toEqual([]);
    expect(findingsOf('unused-condition', asking({ condition: 'lossy' }, { lossy: { all: [leaf('ping.result', 'equal', 'partial_loss')] } }))).toEqual([]);
    expect(findingsOf('fact-operator', asking({ all: [leaf('ping.result', 'equal', 'sideways')] })).length).toBe(1);
  });

  it('rule-placement is silent on the shipped knowledge base, not even suppressed', () => {
    const result = lintKnowledgeBase(loadKnowledgeBase([defaultKbDir]));
    expect([...result.findings, ...result.suppressed].filter((f) => f.check === 'rule-placement')).toEqual([]);
  });
});
