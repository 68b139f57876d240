import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { load as parseYaml } from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { escapeMarkdown } from '../../src/core/escape.js';
import { reportsDir } from '../../src/core/paths.js';
import { commandEnvironment } from '../../src/core/templates.js';
import { categoryGraph, DOC_MARKER, edgeCrossings, graphMermaid, graphSvg, layoutGraph, previousDocSite, renderDocSite, tooLargeToDraw, writeDocSite, type Graph } from '../../src/kbtools/doc.js';
import { generatedKb } from '../../bench/generated-kb.js';
import { readableCondition } from '../../src/kbtools/readable.js';
import { hypothesis, kbOf } from '../fixtures.js';
import { loadScenarios, shippedKb } from '../support.js';
import { likelihoodTable } from '../../src/kbtools/likelihood-table.js';

/** The escaping handlebars applies to {{value}} in HTML templates. */
const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;', '`': '&#x60;', '=': '&#x3D;' };
const escapeHtml = (s: string) => s.replace(/[&<>"'`=]/g, (c) => HTML_ENTITIES[c] ?? c);
const decodeAttr = (s: string) => s.replace(/&#x3D;/g, '=').replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n))).replace(/&amp;/g, '&');

/** The index's search script, exactly as shipped (reports/kb-doc/search.js), taken out: the only script a page may hold. */
const SEARCH_SCRIPT = `<script>\n${readFileSync(join(reportsDir, 'kb-doc', 'search.js'), 'utf8').trim()}\n</script>`;
const withoutSearchScript = (html: string) => html.replace(SEARCH_SCRIPT, '');
/** A hypothesis page without its references, whose links leave the site. */
const withoutReferences = (html: string) => html.replace(/<section id="references">[\s\S]*?<\/section>/, '');

const kb = shippedKb();
const scenarios = loadScenarios();
const site = renderDocSite(kb, scenarios, { lang: 'en' });
const page = (name: string): string => {
  const text = site.get(name);
  if (text === undefined) throw new Error(`no ${name} in the site`);
  return text;
};
const hypothesisIds = [...kb.hypotheses.keys()];
const htmlFiles = [...site.keys()].filter((f) => f.endsWith('.html'));

describe('renderDocSite on the shipped knowledge base', () => {
  it('makes an index and one page per hypothesis, in HTML and markdown', () => {
    const expected = ['index.html', 'index.md', ...hypothesisIds.flatMap((id) => [`hypotheses/${id}.html`, `hypotheses/${id}.md`])];
    expect([...site.keys()].sort()).toEqual(expected.sort());
  });

  it('lists every hypothesis on the index, grouped by category with counts', () => {
    const index = page('index.html');
    const md = page('index.md');
    for (const [id, { value }] of kb.hypotheses) {
      expect(index).toContain(`<a href="hypotheses/${id}.html">`);
      expect(md).toContain(`(hypotheses/${id}.md)`);
      expect(index).toContain(escapeHtml(typeof value.title === 'string' ? value.title : value.title.en));
    }
    const network = hypothesisIds.filter((id) => kb.hypotheses.get(id)?.value.category === 'network').length;
    expect(index).toContain(`<a href="#cat-network">Network (${network})</a>`);
    expect(index).toContain(`<strong>${kb.rules.length}</strong>rules`);
    expect(md).toContain(`## Network (${network} root causes)`);
  });

  it('draws a graph per category on the index, with edges of both signs', () => {
    const index = page('index.html');
    expect(index.match(/<svg class="graph"/g)?.length).toBe(new Set([...kb.hypotheses.values()].map((h) => h.value.category)).size);
    expect(index).toMatch(/<path class="edge"[^>]*stroke="#187a42"/);
    expect(index).toMatch(/<path class="edge"[^>]*stroke="#b42318"[^>]*stroke-dasharray/);
    expect(page('index.md')).toContain('```mermaid\nflowchart LR');
  });

  it("shows each hypothesis's rules in readable form with cf and status, in HTML and markdown", () => {
    for (const id of hypothesisIds) {
      const html = page(`hypotheses/${id}.html`);
      const md = page(`hypotheses/${id}.md`);
      const rules = kb.rules.filter((r) => r.rule.evidence.some((e) => e.hypothesis === id));
      expect(rules.length, id).toBeGreaterThan(0);
      for (const rule of rules) {
        const text = readableCondition(rule.rule.conditions, kb.conditions, 'en');
        const cf = rule.rule.evidence.find((e) => e.hypothesis === id)?.cf ?? 0;
        expect(html, rule.id).toContain(`<div class="rule" id="rule-${rule.id}">`);
        expect(html, rule.id).toContain(`<div class="cond">${escapeHtml(text)}</div>`);
        expect(html, rule.id).toContain(`cf ${cf > 0 ? '+' : ''}${cf.toFixed(2)}`);
        expect(md, rule.id).toContain(text);
      }
      expect(html).toContain('status: stable');
    }
  });

  it('draws a facts -> rules -> hypothesis graph on each page, with at least one edge', () => {
    for (const id of hypothesisIds) {
      const html = page(`hypotheses/${id}.html`);
      const svg = html.slice(html.indexOf('<svg'), html.indexOf('</svg>'));
      expect(svg, id).toContain(`>${id}</text>`);
      expect(svg.match(/<path class="edge"/g)?.length ?? 0, id).toBeGreaterThan(0);
      expect(svg, id).toMatch(/>Facts<\/text>.*>Rules<\/text>.*>Root causes<\/text>/);
    }
  });

  it('lists the checks, the questions that feed it and the scenarios that expect it', () => {
    let withScenarios = 0;
    for (const id of hypothesisIds) {
      const { value: h } = kb.hypotheses.get(id) ?? { value: undefined };
      if (!h) continue;
      const html = page(`hypotheses/${id}.html`);
      const md = page(`hypotheses/${id}.md`);
      for (const check of h.checks) {
        const command = commandEnvironment().commandTemplate(check.command, 'test')({});
        expect(command).not.toContain('{{');
        expect(html).toContain(`<pre><code>${escapeHtml(command)}</code></pre>`);
        expect(md).toContain(command);
      }
      // The facts its rules read and those its likelihood table weighs (shown in a table of its own).
      const table = likelihoodTable(kb, id);
      const facts = new Set([...kb.rules.filter((r) => r.rule.evidence.some((e) => e.hypothesis === id)).flatMap((r) => r.facts), ...table.map((row) => row.fact)]);
      const questions = [...kb.questions.keys()].filter((f) => facts.has(f));
      expect(html).toContain(`How likely each fact is under it (${table.length})`);
      // Each outcome with its probability as kb show gives it (a template's {{probability}} once
      // called the helper of that name and printed NaN% for every one).
      for (const row of table) {
        const [first] = row.outcomes;
        expect(md).toContain(`| \`${row.fact}\` | ${first?.outcome} ${first?.stated ? '' : '~'}${first?.probability} `);
      }
      expect(md).not.toContain('NaN');
      expect(html).not.toContain('NaN');
      expect(questions.length, id).toBeGreaterThan(0);
      for (const fact of questions) expect(html).toContain(`<dt id="q-${fact}">`);
      expect(html).toContain(`Questions that feed it (${questions.length})`);
      const expecting = scenarios.filter((s) => s.expect.top1 === id || s.expect.alternates?.includes(id));
      for (const s of expecting) {
        expect(html).toContain(escapeHtml(s.story));
        expect(html).toContain(escapeHtml(s.source));
        expect(md).toContain(escapeMarkdown(s.story));
      }
      if (expecting.length > 0) withScenarios++;
    }
    expect(withScenarios).toBeGreaterThan(hypothesisIds.length / 2);
  });

  it('names the named command a check runs, and nothing for a check that writes its own', () => {
    const md = page('hypotheses/system.agent_cpu_overhead.md');
    const html = page('hypotheses/system.agent_cpu_overhead.html');
    // Its first check is the CPU questions' top, its third their strace; ps and perf are its own.
    expect(md.split('\n').filter((line) => line.startsWith('- runs the named command'))).toEqual(['- runs the named command (rca kb show NAME): `top_snapshot`', '- runs the named command (rca kb show NAME): `strace_count_top`']);
    expect(html).toContain('<div class="outcome meta">runs the named command (rca kb show NAME): <code>top_snapshot</code></div>');
    const runs = [...kb.hypotheses.values()].flatMap(({ value }) => value.checks.filter((c) => c.run !== undefined)).length;
    const shown = hypothesisIds.map((id) => page(`hypotheses/${id}.md`).split('\n').filter((line) => line.startsWith('- runs the named command')).length);
    expect(shown.reduce((a, b) => a + b, 0)).toBe(runs);
  });

  it('the index, and only the index, carries the search script', () => {
    expect(page('index.html').split(SEARCH_SCRIPT)).toHaveLength(2);
    expect(htmlFiles.filter((file) => page(file).includes('<script'))).toEqual(['index.html']);
  });

  it('holds no external reference: no URL in src or href (but links to a hypothesis\'s references), no <link>, no script but the index\'s own search, no CSS import', () => {
    for (const file of htmlFiles) {
      const html = page(file);
      expect(withoutReferences(html), file).not.toMatch(/\b(?:src|href)\s*=\s*["']?\s*(?:[a-z][a-z0-9+.-]*:|\/\/)/i);
      expect(html, file).not.toMatch(/<link\b/i);
      expect(withoutSearchScript(html), file).not.toMatch(/<script\b/i);
      expect(html, file).not.toMatch(/<(?:img|iframe|object|embed)\b/i);
      const css = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]).join('');
      expect(css, file).not.toMatch(/@import|url\s*\(|@font-face/i);
    }
    // A reference's http(s) URL is the one link out of the site, to be followed when the reader chooses.
    expect(page('hypotheses/lb.no_healthy_backend.html')).toContain('<a href="https://www.rfc-editor.org/rfc/rfc9110#name-503-service-unavailable" rel="noreferrer"><code>https://www.rfc-editor.org/rfc/rfc9110#name-503-service-unavailable</code></a>');
    expect(page('hypotheses/lb.no_healthy_backend.md')).toContain('- RFC 9110: HTTP Semantics, 15.6.4 503 Service Unavailable: <https://www.rfc-editor.org/rfc/rfc9110#name-503-service-unavailable>\n');
  });

  it('links only to pages and anchors that exist in the site', () => {
    const ids = new Map(htmlFiles.map((f) => [f, new Set([...page(f).matchAll(/\sid="([^"]+)"/g)].map((m) => decodeAttr(m[1] ?? '')))]));
    let checked = 0;
    for (const file of htmlFiles) {
      for (const [, raw] of withoutReferences(page(file)).matchAll(/\shref="([^"]*)"/g)) {
        const href = decodeAttr(raw ?? '');
        const [path = '', fragment] = href.split('#');
        const target = path === '' ? file : posix.normalize(posix.join(posix.dirname(file), path));
        expect(site.has(target), `${file}: ${href}`).toBe(true);
        if (fragment !== undefined) expect(ids.get(target)?.has(fragment), `${file}: ${href}`).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it('is the same on every run (no timestamps)', () => {
    expect(renderDocSite(kb, scenarios, { lang: 'en' })).toEqual(site);
  });

  it('writes in Simplified Chinese', () => {
    const zh = renderDocSite(kb, scenarios, { lang: 'zh-CN' });
    const index = zh.get('index.html') ?? '';
    expect(index).toContain('<html lang="zh-CN">');
    expect(index).toContain('负载均衡');
    expect(index).toContain('哪些事实指向哪些根因');
    const h = zh.get('hypotheses/lb.no_healthy_backend.html') ?? '';
    expect(h).toContain('如果 http.status 是 503 并且 lb.backend_health 是 all_unhealthy');
    expect(h).toContain('支持它的规则');
    expect(h).toContain('>事实</text>');
  });
});

describe('escaping', () => {
  const hostile = '<script>alert("x")</script> & \' `=';
  const small = kbOf({
    hypotheses: [hypothesis('app.hostile', { title: hostile, description: hostile, references: [{ title: hostile, url: 'https://example.com/?a="><script>' }] })],
    rules: [
      {
        id: 'app.hostile_rule',
        description: hostile,
        conditions: { all: [{ fact: 'target.host', operator: 'equal', value: hostile }] },
        evidence: [{ hypothesis: 'app.hostile', cf: 0.5 }],
      },
    ],
  });
  const files = renderDocSite(small, [{ file: 'x.yaml', path: 'x.yaml', story: hostile, source: hostile, facts: {}, expect: { top1: 'app.hostile' } }], { lang: 'en' });

  it('escapes every text from the knowledge base in HTML, including inside the SVG', () => {
    for (const name of ['index.html', 'hypotheses/app.hostile.html']) {
      const html = withoutSearchScript(files.get(name) ?? '');
      expect(html).not.toContain('<script');
      expect(html).not.toMatch(/href="https:/);
      expect(html).toContain('&lt;script&gt;');
    }
    expect(files.get('hypotheses/app.hostile.html')).toContain('<title>app.hostile_rule: &#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; &#38; &#39; `=</title>');
  });

  it('shows the invisible characters of a tooltip in the SVG as the page shows them, on hypothesis pages and the index', () => {
    const title = 'Safe \u202eTIXE\u202c \u001b[31mred\u001b[0m \u200bzw';
    const pack = kbOf({
      hypotheses: [hypothesis('app.hidden', { title })],
      rules: [{ id: 'app.hidden_rule', description: 'x \u0007 bell', conditions: { all: [{ fact: 'http.status', operator: 'equal', value: 597 }] }, evidence: [{ hypothesis: 'app.hidden', cf: 0.5 }] }],
    });
    const site = renderDocSite(pack, [], { lang: 'en' });
    const shown = 'Safe \\u202eTIXE\\u202c \\x1b[31mred\\x1b[0m \\u200bzw';
    const page = site.get('hypotheses/app.hidden.html') ?? '';
    expect(page).toContain(`<h1>${shown}`);
    expect(page).toContain(`<g class="node"><title>${shown}</title>`);
    expect(page).toContain('<a class="node" href="#rule-app.hidden_rule"><title>app.hidden_rule: x \\x07 bell</title>');
    expect(site.get('index.html')).toContain(`<a class="node" href="hypotheses/app.hidden.html"><title>${shown}</title>`);
    for (const [name, text] of site) expect([...text].filter((c) => ['\u001b', '\u0007', '\u202e', '\u202c', '\u200b'].includes(c)), name).toEqual([]);
  });

  it('escapes every text from the knowledge base in markdown: a pack\'s title or description makes no HTML, link, image, heading or table cell', () => {
    const title = 'Evil <img src=x onerror=alert(1)> [click](https://evil.example/p) ![px](https://evil.example/t.png) a|b';
    const pack = kbOf({ hypotheses: [hypothesis('app.evil', { title, description: `x\n\n# Injected heading\n\n<script>1</script>` })] });
    const site = renderDocSite(pack, [], { lang: 'en' });
    for (const name of ['index.md', 'hypotheses/app.evil.md']) {
      const md = site.get(name) ?? '';
      expect(md, name).not.toMatch(/(?<!\\)<(img|script)|\]\(https:\/\/evil|^# Injected/m);
      expect(md, name).toContain('\\<img src=x onerror=alert(1)\\>');
    }
    expect((site.get('index.md') ?? '').split('\n').find((line) => line.includes('app.evil'))).toContain('a\\|b');
  });

  it('links a reference only when its URL cannot leave the attribute or hide what it says; the others are text', () => {
    const urls = ['https://a.example/?q=1&r=2', 'http://b.example/x', 'https://c.example/x y', "https://d.example/'onmouseover='x", 'https://e.example/`x`', 'https://f.example/\u202egnp.exe'];
    const page = renderDocSite(kbOf({ hypotheses: [hypothesis('app.linked', { references: urls.map((url, i) => ({ title: `r${i}`, url })) })] }), [], { lang: 'en' });
    const items = [...(page.get('hypotheses/app.linked.html') ?? '').matchAll(/<li>r\d[^\n]*<\/li>/g)].map((m) => m[0]);
    expect(items).toEqual([
      '<li>r0<br><a href="https://a.example/?q&#x3D;1&amp;r&#x3D;2" rel="noreferrer"><code>https://a.example/?q&#x3D;1&amp;r&#x3D;2</code></a></li>',
      '<li>r1<br><a href="http://b.example/x" rel="noreferrer"><code>http://b.example/x</code></a></li>',
      '<li>r2<br><code>https://c.example/x y</code></li>',
      '<li>r3<br><code>https://d.example/&#x27;onmouseover&#x3D;&#x27;x</code></li>',
      '<li>r4<br><code>https://e.example/&#x60;x&#x60;</code></li>',
      '<li>r5<br><code>https://f.example/\\u202egnp.exe</code></li>',
    ]);
    const md = (page.get('hypotheses/app.linked.md') ?? '').split('\n').filter((line) => /^- r\d/.test(line));
    expect(md).toEqual(['- r0: <https://a.example/?q=1&r=2>', '- r1: <http://b.example/x>', '- r2: `https://c.example/x y`', "- r3: `https://d.example/'onmouseover='x`", '- r4: `` https://e.example/`x` ``', '- r5: `https://f.example/\\u202egnp.exe`']);
  });

  it('escapes labels and tooltips of a graph built by hand', () => {
    const graph: Graph = {
      title: '"><script>',
      columns: [
        { heading: '<h>', kind: 'fact', fixed: false, nodes: [{ key: 'f:a', label: '<a>', tooltip: '"t"', href: '" onclick="x' }] },
        { heading: 'H', kind: 'hypothesis', fixed: true, nodes: [{ key: 'h:b', label: 'b|"]', tooltip: 'b' }] },
      ],
      edges: [{ from: 'f:a', to: 'h:b', sign: 'neg', width: 2, label: '-1|x', tooltip: '<e>' }],
      legend: { fact: '<f>', rule: 'r', hypothesis: 'h', pos: 'p', neg: 'n', none: 'x' },
    };
    const svg = graphSvg(graph);
    expect(svg).not.toMatch(/<(?:script|h|a|e|f)>/);
    expect(svg).toContain('href="&#34; onclick=&#34;x"');
    const mermaid = graphMermaid(graph);
    expect(mermaid).toContain('n1_0["b#124;#34;#93;"]');
    expect(mermaid).toContain('n0_0 -->|-1#124;x| n1_0');
  });
});

describe('graph layout (dagre)', () => {
  // Measured on the network layer's index graph (39 facts, 14 root causes, 158 edges): facts and
  // root causes in the order the KB lists them cross 5031 times; the hand-written barycentre
  // sweeps this layout replaced (orderColumns before commit c93cefb, re-run on this graph) cross
  // 2509 times; dagre crosses 1990 times (79 %). On 155 edges: 4812, 2400, 1868 (78 %); on the
  // 152 edges of that commit: 4623, 2098 (the re-run gives 2097), 1694. On 156 edges (the 5 s
  // lookup stall rules of session 8 round 2): 4952 unordered, dagre 2000 (the barycentre sweeps
  // not re-run; the bound stays the 158-edge figure). With the EADDRNOTAVAIL rule and fact (session
  // 9: one more fact node, one more edge): 5020 unordered; dagre from the graph as given 2299, a
  // worse local optimum, so layoutGraph keeps the best of three starts: 2010 (80 %). With mtr's
  // midway-only loss (session 23: one more fact node and its edges): 5165 unordered. With the
  // rule that a failed ping explains no slow service (session 26: one more edge): 5228 unordered,
  // dagre 2116. With the rule that a connect refused for some clients after a change points to a
  // stale address (session 29: one more rule node, one more edge to the network layer): 5295
  // unordered, dagre 2147. With the IPv6 fallback and neighbour-table causes (session 30: two
  // hypotheses, four facts and their rules): 6519 unordered, dagre 2631. With reverse-path
  // filtering (session 30: one hypothesis, two facts, four rules and the lookup's own two): 7343
  // unordered, dagre 2941; with the IPv6 cause's rule against an address and a late first byte
  // counting against it too: 7588, dagre 3076. The barycentre sweeps are not re-run on a grown graph, so their figure is taken as
  // the share of the unordered count they crossed on theirs (2509 of 5031) and held to that.
  const BARYCENTRE_SHARE = 2509 / 5031;
  const network = categoryGraph(kb, scenarios, 'network', { lang: 'en' });
  const layout = layoutGraph(network);
  const centre = (key: string) => layout.boxes.get(key)?.y;

  it('crosses at most 82 % as many edges as the barycentre sweeps did on the network graph, and under half of the unordered count', () => {
    const listed = new Map<string, number>();
    network.columns.forEach((c) => c.nodes.forEach((n, i) => listed.set(n.key, i)));
    const unordered = edgeCrossings(network, (key) => listed.get(key));
    const crossings = edgeCrossings(network, centre);
    expect(unordered).toBe(9744);
    expect(crossings).toBeLessThanOrEqual(Math.floor(0.82 * BARYCENTRE_SHARE * unordered));
    expect(crossings).toBeLessThan(unordered / 2);
  });

  it('counts a crossing only between edges of the same two columns with no end in common', () => {
    const graph: Graph = {
      title: 't',
      columns: [
        { heading: 'F', kind: 'fact', fixed: false, nodes: [{ key: 'f:a', label: 'a', tooltip: '' }, { key: 'f:b', label: 'b', tooltip: '' }] },
        { heading: 'H', kind: 'hypothesis', fixed: false, nodes: [{ key: 'h:x', label: 'x', tooltip: '' }, { key: 'h:y', label: 'y', tooltip: '' }] },
      ],
      edges: [
        { from: 'f:a', to: 'h:y', sign: 'pos', width: 1, label: '', tooltip: '' },
        { from: 'f:b', to: 'h:x', sign: 'pos', width: 1, label: '', tooltip: '' },
        { from: 'f:a', to: 'h:x', sign: 'neg', width: 1, label: '', tooltip: '' },
      ],
      legend: { fact: 'f', rule: 'r', hypothesis: 'h', pos: 'p', neg: 'n', none: 'x' },
    };
    const order: Record<string, number> = { 'f:a': 0, 'f:b': 1, 'h:x': 0, 'h:y': 1 };
    expect(edgeCrossings(graph, (key) => order[key])).toBe(1);
    expect(edgeCrossings(graph, centreOf(layoutGraph(graph)))).toBe(0);
  });

  it('gives every node a box of its own, no two overlapping, and every edge a route from its source to its target', () => {
    const boxes = [...layout.boxes.values()];
    expect(boxes).toHaveLength(73);
    for (const [i, a] of boxes.entries()) {
      for (const b of boxes.slice(i + 1)) {
        const apart = a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + 18 <= b.y || b.y + 18 <= a.y;
        expect(apart, `${JSON.stringify(a)} overlaps ${JSON.stringify(b)}`).toBe(true);
      }
    }
    for (const edge of network.edges) {
      const route = layout.routes.get(edge) ?? [];
      const from = layout.boxes.get(edge.from);
      const to = layout.boxes.get(edge.to);
      expect(route.length).toBeGreaterThanOrEqual(2);
      expect(route[0], edge.tooltip).toEqual({ x: (from?.x ?? 0) + (from?.w ?? 0), y: (from?.y ?? 0) + 9 });
      expect(route.at(-1), edge.tooltip).toEqual({ x: to?.x, y: (to?.y ?? 0) + 9 });
      for (const bend of route.slice(1, -1)) {
        expect(bend.x).toBeGreaterThan(route[0]?.x ?? 0);
        expect(bend.x).toBeLessThan(to?.x ?? 0);
      }
    }
  });

  it('keeps a fixed column in its given order (rules by cf on a hypothesis page)', () => {
    const html = site.get('hypotheses/lb.no_healthy_backend.html') ?? '';
    const rules = [...html.matchAll(/<a class="node" href="#rule-([^"]+)"><title>[^<]*<\/title><rect x="[\d.]+" y="([\d.]+)"/g)];
    expect(rules.length).toBeGreaterThan(1);
    const byHeight = [...rules].sort((a, b) => Number(a[2]) - Number(b[2])).map((m) => m[1]);
    const listed = [...html.matchAll(/<div class="rule" id="rule-([^"]+)"/g)].map((m) => m[1]);
    expect(byHeight).toEqual(listed);
  });

  it('draws the same bytes on every run', () => {
    expect(renderDocSite(kb, scenarios, { lang: 'en' })).toEqual(site);
  });
});

function centreOf(layout: ReturnType<typeof layoutGraph>): (key: string) => number | undefined {
  return (key) => layout.boxes.get(key)?.y;
}

describe('a hypothesis nothing speaks to yet', () => {
  it('still gets a page, saying so, with a graph of its own node', () => {
    const files = renderDocSite(kbOf({ hypotheses: [hypothesis('dns.lonely')] }), [], { lang: 'en' });
    const html = files.get('hypotheses/dns.lonely.html') ?? '';
    expect(html).toContain('No rule speaks to it yet.');
    expect(html).toContain('No scenario expects it yet.');
    expect(html).toContain('>dns.lonely</text>');
    expect(files.get('index.html')).toContain('<a href="#cat-dns">DNS (1)</a>');
  });
});

describe('writeDocSite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rca-doc-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes every file, creating folders', () => {
    const { written, removed } = writeDocSite(site, join(dir, 'out'));
    expect(written).toHaveLength(site.size);
    expect(removed).toEqual([]);
    expect(readFileSync(join(dir, 'out', 'hypotheses', `${hypothesisIds[0]}.html`), 'utf8')).toBe(site.get(`hypotheses/${hypothesisIds[0]}.html`));
  });

  it('refuses a name that would leave the output folder', () => {
    expect(() => writeDocSite(new Map([['../escape.html', 'x']]), join(dir, 'out2'))).toThrow(/outside/);
    expect(() => writeDocSite(new Map([['/tmp/abs.html', 'x']]), join(dir, 'out3'))).toThrow(/outside/);
    expect(existsSync(join(dir, 'escape.html'))).toBe(false);
    expect(existsSync(join(dir, 'out2'))).toBe(false);
  });

  it('replaces the site it wrote before: its pages the new one has not are removed (and folders left empty), other files stay', () => {
    const out = join(dir, 'again');
    writeDocSite(new Map([['index.html', 'one'], ['hypotheses/a.html', 'a'], ['old/b.html', 'b']]), out);
    writeFileSync(join(out, 'notes.txt'), 'mine');
    expect(previousDocSite(out)).toEqual(['hypotheses/a.html', 'index.html', 'old/b.html']);
    const { written, removed } = writeDocSite(new Map([['index.html', 'two'], ['hypotheses/c.html', 'c']]), out);
    expect({ written, removed }).toEqual({ written: [join(out, 'index.html'), join(out, 'hypotheses', 'c.html')], removed: [join(out, 'hypotheses', 'a.html'), join(out, 'old', 'b.html')] });
    expect(readdirSync(out).sort()).toEqual([DOC_MARKER, 'hypotheses', 'index.html', 'notes.txt']);
    expect(readdirSync(join(out, 'hypotheses'))).toEqual(['c.html']);
    expect(previousDocSite(out)).toEqual(['hypotheses/c.html', 'index.html']);
  });

  it('refuses a symbolic link under the output folder, touching nothing: a marker naming a file through one, or a page that is one', () => {
    const victim = mkdtempSync(join(dir, 'victim-'));
    writeFileSync(join(victim, 'secret.txt'), 'keep');
    const out = mkdtempSync(join(dir, 'linked-'));
    symlinkSync(victim, join(out, 'link'));
    writeFileSync(join(out, DOC_MARKER), JSON.stringify({ writtenBy: 'rca kb doc', files: ['link/secret.txt'] }));
    expect(() => writeDocSite(new Map([['index.html', 'x']]), out)).toThrow(
      new UsageError(`--out: expected the site's own files and folders in ${out}, got a symbolic link at ${join(out, 'link')}; remove it, or write the site elsewhere`),
    );
    expect(readFileSync(join(victim, 'secret.txt'), 'utf8')).toBe('keep');
    expect(existsSync(join(out, 'index.html'))).toBe(false);
    const page = mkdtempSync(join(dir, 'page-'));
    symlinkSync(join(victim, 'secret.txt'), join(page, 'index.html'));
    expect(() => writeDocSite(new Map([['index.html', 'x']]), page)).toThrow(/symbolic link at .*index\.html/);
    expect(readFileSync(join(victim, 'secret.txt'), 'utf8')).toBe('keep');
  });

  it('takes no marker but its own: another writer, another shape or a file outside the folder', () => {
    const out = mkdtempSync(join(dir, 'marker-'));
    const marker = (content: unknown) => writeFileSync(join(out, DOC_MARKER), JSON.stringify(content));
    expect(previousDocSite(out)).toBeUndefined();
    marker({ writtenBy: 'someone else', files: ['index.html'] });
    expect(previousDocSite(out)).toBeUndefined();
    marker({ writtenBy: 'rca kb doc', files: 'index.html' });
    expect(previousDocSite(out)).toBeUndefined();
    marker({ writtenBy: 'rca kb doc', files: ['../outside.txt'] });
    expect(previousDocSite(out)).toBeUndefined();
    writeFileSync(join(out, DOC_MARKER), '{not json');
    expect(previousDocSite(out)).toBeUndefined();
  });
});

describe('landmarks of the HTML pages', () => {
  it("puts a hypothesis page's way back to the index in a navigation landmark, named in the page's language (WCAG 1.3.1, 2.4.1)", () => {
    const crumbs = (html: string) => /<(\w+) class="crumbs"[^>]*>/.exec(html)?.[0];
    for (const id of hypothesisIds) expect(crumbs(page(`hypotheses/${id}.html`)), id).toBe('<nav class="crumbs" aria-label="Breadcrumb">');
    const zh = renderDocSite(kb, scenarios, { lang: 'zh-CN' }).get('hypotheses/lb.no_healthy_backend.html') ?? '';
    expect(crumbs(zh)).toBe('<nav class="crumbs" aria-label="面包屑导航">');
  });
});

describe('reports/kb-doc/strings.yaml', () => {
  it('has every word in English and Simplified Chinese', () => {
    const strings = parseYaml(readFileSync(join(reportsDir, 'kb-doc', 'strings.yaml'), 'utf8')) as Record<string, Record<string, string>>;
    for (const [key, entry] of Object.entries(strings)) expect(Object.keys(entry).sort(), key).toEqual(['en', 'zh-CN']);
  });
});

describe('rca kb doc on a pack too large to draw', () => {
  it('says the graph is too large instead of laying it out for minutes, and still writes every page', () => {
    // A thousand rules over the vocabulary: the index's graphs pass MAX_DRAWN. The bound is a
    // stall's (laying such a graph out took minutes), not a benchmark's: about 10 s alone, 28 s
    // under a busy suite on 2 cores.
    const { kb } = generatedKb(1000);
    const started = Date.now();
    const big = renderDocSite(kb, [], { lang: 'en' });
    expect(Date.now() - started).toBeLessThan(60_000);
    const index = big.get('index.html') as string;
    expect(index).toMatch(/<p class="graph-too-large">\d+ boxes and \d+ links: too many to draw in a page \(its layout would take minutes\); the tables below list them\.<\/p>/);
    expect(big.get('index.md')).toBeDefined();
    expect(tooLargeToDraw(categoryGraph(shippedKb(), [], 'network', { lang: 'en' }))).toBeUndefined();
  }, 90_000);
});
