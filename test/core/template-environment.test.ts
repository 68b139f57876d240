import fc from 'fast-check';
import Handlebars from 'handlebars';
import { describe, expect, it, vi } from 'vitest';
import { TemplateError } from '../../src/core/errors.js';
import { commandEnvironment, createTemplateEnvironment, parsedPieces, plainPieces, safe, type Piece } from '../../src/core/templates.js';

/** A command calling a report helper: commands know no such helper, so `code` reads as a fact. */
const COMMAND = 'ping {{code target.host}}';

/** The value `run` returns, or the name and message of the error it throws (by name: a reset module has classes of its own). */
function outcome(run: () => unknown): unknown {
  try {
    return run();
  } catch (error) {
    return error instanceof Error ? `${error.name}: ${error.message}` : error;
  }
}

/** The modules that used to register helpers on a shared instance when imported. */
const REPORT_MODULES = [() => import('../../src/core/render.js'), () => import('../../src/kbtools/doc.js')];

/**
 * Every answer of the template layer, from fresh modules, after importing `first`: the
 * paths KB validation reads, a KB's problems, a command and a report rendered.
 */
async function answersAfter(first: ReadonlyArray<() => Promise<unknown>>) {
  vi.resetModules();
  for (const load of first) await load();
  const templates = await import('../../src/core/templates.js');
  const { hypothesis, kbOf, kbProblems } = await import('../fixtures.js');
  const { customReport } = await import('../../src/core/render.js');
  const commands = templates.commandEnvironment();
  return {
    paths: commands.templatePaths(COMMAND, 'check'),
    problems: kbProblems(() => kbOf({ hypotheses: [hypothesis('network.packet_loss', { checks: [{ command: COMMAND, confirms: 'x', rulesOut: 'y' }] })] })),
    command: outcome(() => commands.commandTemplate(COMMAND, 'check')({ 'target.host': 'db1' })),
    report: outcome(() => customReport('{{pct confidence}} {{docT "title"}}', 'mine.txt')({ confidence: 0.5 } as never)),
  };
}

describe('template environments', () => {
  it('give the same answers whatever was imported before', async () => {
    const alone = await answersAfter([]);
    const afterReports = await answersAfter(REPORT_MODULES);
    expect(afterReports).toEqual(alone);
    expect(alone).toEqual({
      paths: ['code', 'target.host'],
      // A report helper's name in a command is a helper call, which commands do not take.
      problems: ['file0.yaml at /hypotheses/0/checks/0/command: expected text, comments and {{group.fact}} placeholders only (a command is text an engineer pastes into a shell, each fact one quoted word in it), got a block, a helper or an @data path'],
      command: 'TemplateError: check: expected text, comments and {{group.fact}} placeholders only (a command is text an engineer pastes into a shell, each fact one quoted word in it), got a block, a helper or an @data path',
      report: 'TemplateError: mine.txt:1:20: expected a known helper (and, aside, bar, between, cell, cf, code, colon, concat, elementId, eq, fence, inc, json, leaderConfidence, lt, op, or, pct, percent, probability, ratios, raw, strongLabel, style, t, times, value, if, unless, each, with, lookup, log), got "docT"',
    });
  });

  it('know exactly the helpers they were given', () => {
    const shout = (text: unknown) => String(text).toUpperCase();
    const loud = createTemplateEnvironment({ shout });
    const quiet = createTemplateEnvironment({});
    expect(loud.compile('{{shout name}}!', { escape: 'html', source: 'loud' })({ name: '<b>' })).toBe('&lt;B&gt;!');
    expect(loud.templatePaths('{{shout name}}', 'loud')).toEqual(['name']);
    expect(quiet.templatePaths('{{shout name}}', 'quiet')).toEqual(['shout', 'name']);
    expect(() => quiet.compile('{{shout name}}', { escape: 'html', source: 'quiet' })({ name: 'x' })).toThrow(TemplateError);
    expect(outcome(() => quiet.compile('{{shout name}}', { escape: 'html', source: 'quiet' })({ name: 'x' }))).toBe(
      'TemplateError: quiet:1:1: expected a known helper (if, unless, each, with, lookup, log), got "shout"',
    );
  });

  it('refuse a helper that would replace a built-in block or the escaping', () => {
    const helper = () => '';
    expect(() => createTemplateEnvironment({ each: helper })).toThrow('template helper "each" would replace a built-in one');
    expect(() => createTemplateEnvironment({ 'escape value': helper })).toThrow('template helper "escape value" would replace a built-in one');
  });

  it('escape values in every environment, helpers or none', () => {
    const bare = createTemplateEnvironment({});
    const marked = createTemplateEnvironment({ bold: (text) => safe(`<b>${String(text)}</b>`) });
    expect(bare.compile('{{name}}', { escape: 'html', source: 'bare' })({ name: '<i>' })).toBe('&lt;i&gt;');
    expect(marked.compile('{{bold name}} {{name}}', { escape: 'html', source: 'marked' })({ name: 'a&b' })).toBe('<b>a&b</b> a&amp;b');
    expect(marked.compile('# {{name}}', { escape: 'markdown', source: 'marked' })({ name: '*x*' })).toBe('# \\*x\\*');
  });

  it('renders commands with the named command helpers: none beyond the built-in blocks', () => {
    const commands = commandEnvironment();
    expect([...commands.helpers]).toEqual([]);
    expect(commands.commandTemplate('ping {{target.host}}', 'check')({ 'target.host': 'db1' })).toBe('ping db1');
    expect(commands.templatePaths('{{#each x.y}}{{this}}{{/each}} {{lookup a.b "c"}}', 'check')).toEqual(['x.y', 'a.b']);
  });
});

// Reading a command's placeholders without handlebars' parser (which compiles dozens of lexer
// patterns on first use): on every text plainPieces reads, it must agree with handlebars' parse.
describe('command templates: plain placeholders are read without handlebars, to the same pieces', () => {
  /** Pieces with adjacent text joined and empty text dropped: what rendering them gives. */
  const joined = (pieces: readonly Piece[] | undefined) =>
    pieces?.reduce<Piece[]>((out, piece) => {
      const last = out[out.length - 1];
      if ('text' in piece && piece.text === '') return out;
      if ('text' in piece && last && 'text' in last) out[out.length - 1] = { text: last.text + piece.text };
      else out.push(piece);
      return out;
    }, []);

  it('a shipped command (text and {{group.fact}}) is read without calling handlebars, and renders as before', () => {
    const parse = vi.spyOn(Handlebars, 'parse');
    try {
      const command = 'dig +short {{target.host}} @{{dns.server}} && curl -sv {{target.url}}';
      expect(plainPieces(command)).toEqual([{ text: 'dig +short ' }, { fact: 'target.host' }, { text: ' @' }, { fact: 'dns.server' }, { text: ' && curl -sv ' }, { fact: 'target.url' }]);
      expect(createTemplateEnvironment({}).commandTemplate(command, 'check')({ 'target.host': 'a b', 'target.url': '-x' })).toBe("dig +short 'a b' @'<dns.server>' && curl -sv '<refused:target.url>'");
      expect(parse).not.toHaveBeenCalled();
    } finally {
      parse.mockRestore();
    }
  });

  it('a backslash that escapes no placeholder (curl -w \'...\\n\') is text, read without handlebars as well', () => {
    const parse = vi.spyOn(Handlebars, 'parse');
    try {
      const command = "curl -sS -o /dev/null -w 'connect=%{time_connect} total=%{time_total}\\n' {{target.url}}";
      expect(plainPieces(command)).toEqual([{ text: "curl -sS -o /dev/null -w 'connect=%{time_connect} total=%{time_total}\\n' " }, { fact: 'target.url' }]);
      expect(parse).not.toHaveBeenCalled();
      expect(plainPieces(command)).toEqual(parsedPieces(command));
    } finally {
      parse.mockRestore();
    }
  });

  it.each(['{{{target.host}}}', '{{target.host}}}', '{{~target.host}}', '\\{{target.host}}', 'a\\\\{{target.host}}', '\\{{target.host}}\\n', '{{this.host}}', '{{target.this}}', '{{else.host}}', '{{target.null}}', '{{target.false}}', '{{target}}', '{{a.b.c}}', '{{ target.host }}', '{{!c}}x', '{{target.host'])(
    '%j is left to handlebars',
    (text) => {
      expect(plainPieces(text)).toBeUndefined();
    },
  );

  it('on arbitrary text, plainPieces reads nothing handlebars would read otherwise', () => {
    const token = fc.constantFrom('{{', '}}', '{', '}', 'a', '.', ' ', '\n', '\\', '\0', '~', '!', '#', '/', '>', '&', '^', '@', '-', '"', '=', '|', '(', ')');
    // Placeholders near the plain form: names built from words handlebars reads its own way, in braces of every kind.
    const name = fc.array(fc.constantFrom('a', 'b1', '_', '1', '.', 'this', 'else', 'elsewhere', 'as', 'true', 'false', 'null', 'undefined', '../', '@', ' ', '-'), { maxLength: 4 }).map((words) => words.join(''));
    const placeholder = fc.tuple(fc.constantFrom('{{', '{{{', '{{~', '{{&', '{{!'), name, fc.constantFrom('}}', '}}}', '~}}', '}')).map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.array(fc.oneof(token, placeholder), { maxLength: 8 }).map((pieces) => pieces.join('')), (text) => {
        const plain = plainPieces(text);
        if (plain !== undefined) expect(joined(plain)).toEqual(joined(parsedPieces(text)));
      }),
      { numRuns: 20000 },
    );
  });
});
