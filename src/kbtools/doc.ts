import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import dagre, { type EdgeLabel, type GraphLabel, type NodeLabel } from '@dagrejs/dagre';
import { load as parseYaml } from 'js-yaml';
import type { CheckVariant, Hypothesis, LocalizedText } from '../generated/kb-file.js';
import { UsageError } from '../core/errors.js';
import { isLinkableUrl, markdownUrl, visible } from '../core/escape.js';
import type { CompiledRule, KnowledgeBase, LoadedHypothesis } from '../core/kb.js';
import { localize } from '../core/localize.js';
import { reportsDir } from '../core/paths.js';
import { REPORT_HELPERS, unitText } from '../core/render.js';
import { feedingFacts, likelihoodTable, type LikelihoodRow } from './likelihood-table.js';
import type { Scenario } from '../core/scenarios.js';
import { commandEnvironment, createTemplateEnvironment, safe, type Helpers, type Render, type TemplateEnvironment } from '../core/templates.js';
import type { Vocabulary } from '../core/vocabulary.js';
import { readableCondition } from './readable.js';

export interface DocOptions {
  lang: string;
}

const docDir = join(reportsDir, 'kb-doc');
const FORMATS = ['html', 'md'] as const;
type Format = (typeof FORMATS)[number];
type Page = 'index' | 'hypothesis';
/** Display order of the categories: from the wire up to the application, as an engineer troubleshoots. */
const CATEGORY_ORDER: readonly Hypothesis['category'][] = ['network', 'dns', 'tls', 'lb', 'system', 'app'];

// ---------------------------------------------------------------------------- fixed words

type Strings = Record<string, { en: string; [lang: string]: string }>;
let strings: Strings | undefined;

/** A fixed word of the documentation site (reports/kb-doc/strings.yaml) in the given language. */
export function docText(key: string, lang: string): string {
  strings ??= parseYaml(readFileSync(join(docDir, 'strings.yaml'), 'utf8')) as Strings;
  const entry = strings[key];
  if (!entry) throw new Error(`unknown kb-doc string "${key}"`);
  return localize(entry, lang);
}

// ---------------------------------------------------------------------------- graph model

type Sign = 'pos' | 'neg' | 'none';

interface GraphNode {
  /** Unique across the whole graph (columns are prefixed: f:, r:, h:). */
  key: string;
  label: string;
  tooltip: string;
  href?: string;
  /** A short colored tag after the label (a rule's certainty factor). */
  badge?: { text: string; sign: Sign };
}

interface GraphColumn {
  heading: string;
  kind: 'fact' | 'rule' | 'hypothesis';
  nodes: GraphNode[];
  /** Keep the given order (it means something, e.g. rules by cf); otherwise reorder to cut crossings. */
  fixed: boolean;
}

interface GraphEdge {
  from: string;
  to: string;
  sign: Sign;
  /** Stroke width in px: the builder maps strength (cf, rule count) to it. */
  width: number;
  /** Short text on the edge in markdown (mermaid); the SVG shows it in the tooltip. */
  label: string;
  tooltip: string;
}

/** What a legend shows: a node box of a column kind, or an edge of a sign. */
type Swatch = GraphColumn['kind'] | Sign;

/** Facts -> (rules ->) hypotheses, in columns left to right; edges join adjacent columns only. */
export interface Graph {
  title: string;
  columns: GraphColumn[];
  edges: GraphEdge[];
  /** Words for the legend; it lists only the node kinds and edge signs the graph has. */
  legend: Record<Swatch, string>;
}

// ---------------------------------------------------------------------------- graph layout (SVG)

const NODE_H = 18;
/** Labels are ids and fact names set in a monospace font, so their width is predictable without measuring. */
const CHAR_W = 7.3;
const PAD = 6;
const HEAD = 30;
const LEGEND_H = 22;
const MAX_CHARS = 48;
/** Vertical room between two boxes of a column. */
const NODE_GAP = 6;
/** A badge is text on its node's fill: its green and red keep 4.5:1 on every fill and on white (WCAG 1.4.3). */
const COLORS: Record<Sign, string> = { pos: '#187a42', neg: '#b42318', none: '#98a2b3' };
const FILLS: Record<GraphColumn['kind'], { fill: string; stroke: string }> = {
  fact: { fill: '#e8f0fe', stroke: '#2357c6' },
  rule: { fill: '#f2f4f7', stroke: '#98a2b3' },
  hypothesis: { fill: '#fff4e5', stroke: '#b26a00' },
};
const MONO = 'ui-monospace, Menlo, Consolas, monospace';

/**
 * Text for the SVG, shown as the rest of the page shows it (escapeHtml): a tooltip's title from a
 * pack carried raw ESC, BEL, bidi overrides and zero-width characters the page's heading showed.
 */
function escapeXml(text: string): string {
  return visible(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function clip(label: string): string {
  return label.length > MAX_CHARS ? `${label.slice(0, MAX_CHARS - 1)}…` : label;
}

/** Width of text in the graph font: CJK characters (headings, legend in zh-CN) are full width. */
function textWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += (ch.codePointAt(0) ?? 0) >= 0x2e80 ? 12 : CHAR_W;
  return w;
}

function nodeWidth(node: GraphNode): number {
  return textWidth(clip(node.label)) + (node.badge ? textWidth(` ${node.badge.text}`) : 0) + 2 * PAD;
}

/** Room between columns: tall graphs fan out more edges, so they get gentler slopes. */
function gapFor(rows: number): number {
  return Math.min(300, Math.max(150, rows * 7));
}

interface Box {
  x: number;
  y: number;
  w: number;
}

/** Where the layout put everything: node boxes (top left), each edge's route, each column's left edge. */
export interface GraphLayout {
  boxes: Map<string, Box>;
  routes: Map<GraphEdge, Array<{ x: number; y: number }>>;
  /** Left edge of each column, undefined for a column without nodes. */
  columnX: Array<number | undefined>;
  width: number;
  /** Bottom of the lowest box. */
  bottom: number;
}

/**
 * The layout with the fewest crossings of dagre's on the graph as given, with its edges listed
 * the other way round, and with its free columns' nodes listed the other way round: dagre's
 * crossing minimisation is a heuristic that starts from the order it is given, and a graph one
 * edge apart can land in a local optimum 15% worse (the network graph: 2,299 crossings as given,
 * 2,049 and 2,010 from the other two). Deterministic: the same graph gives the same picture.
 */
export function layoutGraph(graph: Graph): GraphLayout {
  const starts: Graph[] = [
    graph,
    { ...graph, edges: [...graph.edges].reverse() },
    { ...graph, columns: graph.columns.map((c) => (c.fixed ? c : { ...c, nodes: [...c.nodes].reverse() })) },
  ];
  let best: { layout: GraphLayout; crossings: number } | undefined;
  for (const start of starts) {
    const layout = layoutOnce(start);
    const crossings = edgeCrossings(graph, (key) => layout.boxes.get(key)?.y);
    if (!best || crossings < best.crossings) best = { layout, crossings };
  }
  return (best as { layout: GraphLayout }).layout;
}

/**
 * Places the nodes with dagre (layered, Sugiyama style: ranks, crossing minimisation, coordinate
 * assignment) and takes its edge routes. A column is a rank: every box of a column gets the
 * column's width so the column reads as one; a `fixed` column keeps its order through dagre's
 * order constraints.
 */
function layoutOnce(graph: Graph): GraphLayout {
  const rows = Math.max(1, ...graph.columns.map((c) => c.nodes.length));
  const g = new dagre.graphlib.Graph<GraphLabel, NodeLabel, EdgeLabel>();
  // edgesep: dagre threads every edge through a point of its own between the columns; these points need no room.
  g.setGraph({ rankdir: 'LR', nodesep: NODE_GAP, edgesep: 1, ranksep: gapFor(rows), marginx: 0, marginy: 0 });
  g.setDefaultEdgeLabel(() => ({}));
  const widths = graph.columns.map((c) => Math.max(textWidth(c.heading), ...c.nodes.map(nodeWidth)));
  graph.columns.forEach((column, c) => {
    for (const n of column.nodes) g.setNode(n.key, { width: widths[c] ?? 0, height: NODE_H });
  });
  // One dagre edge per pair of nodes: twins (a supporting and a refuting edge) share a route.
  for (const e of graph.edges) if (g.hasNode(e.from) && g.hasNode(e.to)) g.setEdge(e.from, e.to);
  const fixed = graph.columns.filter((c) => c.fixed && c.nodes.length > 1).map((c) => c.nodes.map((n) => n.key));
  dagre.layout(g, fixed.length === 0 ? {} : { customOrder: (layered: LayeredGraph, order: (g: LayeredGraph) => void) => keepFixedOrder(layered, order, fixed) });

  const boxes = new Map<string, Box>();
  const columnX: Array<number | undefined> = [];
  graph.columns.forEach((column, c) => {
    const w = widths[c] ?? 0;
    for (const n of column.nodes) {
      const { x = 0, y = 0 } = g.node(n.key);
      const left = x - w / 2;
      boxes.set(n.key, { x: left, y: HEAD + y - NODE_H / 2, w });
      columnX[c] = Math.min(columnX[c] ?? left, left);
    }
  });
  const routes = new Map<GraphEdge, Array<{ x: number; y: number }>>();
  for (const e of graph.edges) {
    const from = boxes.get(e.from);
    const to = boxes.get(e.to);
    const points: Array<{ x: number; y: number }> | undefined = from && to ? g.edge(e.from, e.to)?.points : undefined;
    if (!from || !to || !points) continue;
    // Dagre's bends, between ends moved from where the line meets the box (often its long top or
    // bottom side, the boxes being wide and flat) to the middle of the facing side: edges leave
    // a box on its right and enter on its left, as the graph reads.
    const bends = points.slice(1, -1).map((p) => ({ x: p.x, y: HEAD + p.y }));
    routes.set(e, [{ x: from.x + from.w, y: from.y + NODE_H / 2 }, ...bends, { x: to.x, y: to.y + NODE_H / 2 }]);
  }
  const right = Math.max(0, ...[...boxes.values()].map((b) => b.x + b.w));
  const bottom = Math.max(HEAD, ...[...boxes.values()].map((b) => b.y + NODE_H));
  return { boxes, routes, columnX, width: right, bottom };
}

/** What the order step needs of dagre's internal graph: its nodes (columns and edge points) by layer. */
interface LayeredGraph {
  nodes(): string[];
  node(v: string): NodeLabel;
  predecessors(v: string): string[] | undefined;
  successors(v: string): string[] | undefined;
}

/**
 * Dagre's order step, then the fixed columns put back in their given order (dagre's order
 * constraints only keep constrained nodes in order within the groups they happen to merge),
 * then barycentre sweeps over the other layers, the fixed ones held, to undo the crossings
 * that moving them made. Layers include dagre's points between columns that edges pass through.
 */
function keepFixedOrder(g: LayeredGraph, order: (g: LayeredGraph) => void, fixed: readonly string[][]): void {
  order(g);
  const layers: string[][] = [];
  for (const v of g.nodes()) {
    const rank = g.node(v).rank ?? 0;
    (layers[rank] ??= []).push(v);
  }
  const position = (v: string) => g.node(v).order ?? 0;
  const held = new Set<number>();
  for (const keys of fixed) {
    const rank = g.node(keys[0] ?? '')?.rank ?? 0;
    const layer = (layers[rank] ?? []).sort((a, b) => position(a) - position(b));
    const slots = keys.map((k) => position(k)).sort((a, b) => a - b);
    keys.forEach((k, i) => (g.node(k).order = slots[i] ?? 0));
    layers[rank] = layer.sort((a, b) => position(a) - position(b));
    held.add(rank);
  }
  for (let sweep = 0; sweep < 4; sweep++) {
    const down = sweep % 2 === 0;
    const ranks = layers.map((_, r) => r);
    if (!down) ranks.reverse();
    for (const rank of ranks) {
      const layer = layers[rank];
      if (!layer || held.has(rank)) continue;
      const barycentre = (v: string): number => {
        const next = (down ? g.predecessors(v) : g.successors(v)) ?? [];
        return next.length === 0 ? position(v) : next.reduce((sum: number, w: string) => sum + position(w), 0) / next.length;
      };
      const keyed = layer.map((v) => ({ v, b: barycentre(v), was: position(v) }));
      keyed.sort((a, b) => a.b - b.b || a.was - b.was);
      keyed.forEach(({ v }, i) => (g.node(v).order = i));
      layers[rank] = keyed.map(({ v }) => v);
    }
  }
}

/**
 * Pairs of edges that cross: two edges between the same two columns, with no end in common,
 * cross when their ends come in opposite orders on the two sides (the order is what a layout
 * chooses; the curves drawn between the same ends cross just as often).
 */
export function edgeCrossings(graph: Graph, centreY: (key: string) => number | undefined): number {
  const column = new Map<string, number>();
  graph.columns.forEach((c, i) => c.nodes.forEach((n) => column.set(n.key, i)));
  const spans = graph.edges.flatMap((e) => {
    const a = centreY(e.from);
    const b = centreY(e.to);
    return a === undefined || b === undefined ? [] : [{ e, a, b, c: column.get(e.from) }];
  });
  let crossings = 0;
  for (let i = 0; i < spans.length; i++) {
    for (let j = i + 1; j < spans.length; j++) {
      const s = spans[i];
      const t = spans[j];
      if (!s || !t || s.c !== t.c || s.e.from === t.e.from || s.e.to === t.e.to) continue;
      if ((s.a - t.a) * (s.b - t.b) < 0) crossings++;
    }
  }
  return crossings;
}

/**
 * The largest graph drawn: about eight times the shipped knowledge base's largest (65 boxes, 157
 * links, laid out in 0.6 s). dagre's layout and the crossing count grow faster than linearly, and
 * a pack of 2,000 hypotheses took over two minutes to document; past this a page says so instead.
 */
const MAX_DRAWN = { nodes: 500, edges: 1_500 };

/** The graph's size when it is too large to draw (MAX_DRAWN), else undefined. */
export function tooLargeToDraw(graph: Graph): { nodes: number; edges: number } | undefined {
  const nodes = graph.columns.reduce((n, column) => n + column.nodes.length, 0);
  return nodes > MAX_DRAWN.nodes || graph.edges.length > MAX_DRAWN.edges ? { nodes, edges: graph.edges.length } : undefined;
}

/** The graph as inline SVG; every label, tooltip and link is escaped here, the only place they enter markup. */
export function graphSvg(graph: Graph): string {
  const { boxes, routes, columnX, width: graphWidth, bottom } = layoutGraph(graph);
  const parts: string[] = [];
  graph.columns.forEach((meta, c) => {
    const x = columnX[c];
    if (x !== undefined) parts.push(`<text x="${r(x)}" y="16" font-weight="600" font-size="13" fill="#1d2430">${escapeXml(meta.heading)}</text>`);
  });
  const legendTop = bottom + 8;
  const legend = legendSvg(graph, legendTop);
  const width = Math.ceil(Math.max(graphWidth, legend.width) + 2);
  const height = Math.ceil(legendTop + LEGEND_H);

  const edges = graph.edges.flatMap((e) => {
    const route = routes.get(e);
    if (!route || route.length < 2) return [];
    // An edge of each sign between the same two nodes would overlap exactly: shift them apart.
    const twin = graph.edges.some((o) => o !== e && o.from === e.from && o.to === e.to);
    const shift = twin ? (e.sign === 'neg' ? 2.5 : -2.5) : 0;
    // Through each of the route's points, leaving and reaching it level: a smooth S between columns.
    const d = route
      .map((p, i) => {
        const prev = route[i - 1];
        if (!prev) return `M${r(p.x)} ${r(p.y + shift)}`;
        const mid = (prev.x + p.x) / 2;
        return `C${r(mid)} ${r(prev.y + shift)} ${r(mid)} ${r(p.y + shift)} ${r(p.x)} ${r(p.y + shift)}`;
      })
      .join(' ');
    return [
      `<path class="edge" d="${d}" fill="none" stroke="${COLORS[e.sign]}" stroke-width="${r(e.width)}" stroke-opacity="0.7" stroke-linejoin="round"${dash(e.sign)}><title>${escapeXml(e.tooltip)}</title></path>`,
    ];
  });

  const nodes = graph.columns.flatMap((meta) =>
    meta.nodes.map((n) => {
      const box = boxes.get(n.key) as Box;
      const { fill, stroke } = FILLS[meta.kind];
      const ty = r(box.y + NODE_H / 2);
      const badge = n.badge
        ? `<text x="${r(box.x + box.w - PAD)}" y="${ty}" text-anchor="end" dominant-baseline="central" fill="${COLORS[n.badge.sign]}" font-weight="600">${escapeXml(n.badge.text)}</text>`
        : '';
      const body =
        `<title>${escapeXml(n.tooltip)}</title>` +
        `<rect x="${r(box.x)}" y="${r(box.y)}" width="${r(box.w)}" height="${NODE_H}" rx="4" fill="${fill}" stroke="${stroke}"/>` +
        `<text x="${r(box.x + PAD)}" y="${ty}" dominant-baseline="central" fill="#1d2430">${escapeXml(clip(n.label))}</text>${badge}`;
      return n.href ? `<a class="node" href="${escapeXml(n.href)}">${body}</a>` : `<g class="node">${body}</g>`;
    }),
  );
  // No xmlns: inline SVG in HTML needs none, and the page then holds no URL at all.
  return (
    `<svg class="graph" role="img" aria-label="${escapeXml(graph.title)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${MONO}" font-size="12">` +
    `<title>${escapeXml(graph.title)}</title>${parts.join('')}${edges.join('')}${nodes.join('')}${legend.svg}</svg>`
  );
}

/** Refuting edges are dashed as well as red, so the sign survives colour blindness and greyscale print. */
function dash(sign: Sign): string {
  return sign === 'neg' ? ' stroke-dasharray="6 3"' : '';
}

/** One row of swatches under the graph, so the SVG explains itself wherever it is shown. */
function legendSvg(graph: Graph, top: number): { svg: string; width: number } {
  const signs = (['none', 'pos', 'neg'] as const).filter((s) => graph.edges.some((e) => e.sign === s));
  let x = 0;
  const parts: string[] = [];
  const item = (mark: string, label: string) => {
    parts.push(mark, `<text x="${r(x + 22)}" y="${top + 10}" dominant-baseline="central" fill="#5b6575">${escapeXml(label)}</text>`);
    x += 22 + textWidth(label) + 18;
  };
  for (const { kind } of graph.columns) {
    item(`<rect x="${r(x)}" y="${top + 4}" width="16" height="11" rx="3" fill="${FILLS[kind].fill}" stroke="${FILLS[kind].stroke}"/>`, graph.legend[kind]);
  }
  for (const sign of signs) {
    item(`<line x1="${r(x)}" y1="${top + 10}" x2="${r(x + 16)}" y2="${top + 10}" stroke="${COLORS[sign]}" stroke-width="3"${dash(sign)}/>`, graph.legend[sign]);
  }
  return { svg: parts.join(''), width: x };
}

function r(n: number): string {
  return String(Math.round(n * 10) / 10);
}

/** The same graph as a mermaid flowchart for the markdown pages (GitHub and GitLab draw it; raw, it still reads). */
export function graphMermaid(graph: Graph): string {
  const ids = new Map<string, string>();
  const lines = ['flowchart LR'];
  graph.columns.forEach((column, c) =>
    column.nodes.forEach((n, i) => {
      const id = `n${c}_${i}`;
      ids.set(n.key, id);
      lines.push(`  ${id}["${mermaidText(n.badge ? `${n.label} ${n.badge.text}` : n.label)}"]`);
    }),
  );
  const styles = new Map<Sign, number[]>();
  let index = 0;
  for (const e of graph.edges) {
    const from = ids.get(e.from);
    const to = ids.get(e.to);
    if (!from || !to) continue;
    lines.push(`  ${from} -->${e.label ? `|${mermaidText(e.label)}|` : ''} ${to}`);
    styles.set(e.sign, [...(styles.get(e.sign) ?? []), index++]);
  }
  for (const [sign, edges] of styles) lines.push(`  linkStyle ${edges.join(',')} stroke:${COLORS[sign]}`);
  return lines.join('\n');
}

/** Mermaid's own entity syntax (#34;) keeps quotes, pipes and brackets from ending a label. */
function mermaidText(text: string): string {
  return text.replace(/[&<>"'|#[\]]/g, (c) => `#${c.charCodeAt(0)};`);
}

// ---------------------------------------------------------------------------- helpers

interface HelperOptions {
  data: { root: { lang: string } };
}

let css: string | undefined;
let script: string | undefined;
/** The helpers of the doc pages alone; the pages also call the report helpers (cf, eq, code, cell, fence). */
const DOC_HELPERS: Helpers = Object.freeze({
  docT: (key, options) => docText(String(key), (options as HelperOptions).data.root.lang),
  // One stylesheet for every page, inlined: a <link> to a file would be one more thing to lose or block.
  docCss: () => safe((css ??= readFileSync(join(docDir, 'style.css'), 'utf8').trim())),
  // The index's search box; a file of ours, with no `</script` in it, so it goes into the page as is.
  docScript: () => safe((script ??= readFileSync(join(docDir, 'search.js'), 'utf8').trim())),
  docSvg: (graph, options) => {
    const tooLarge = tooLargeToDraw(graph as Graph);
    if (!tooLarge) return safe(graphSvg(graph as Graph));
    const text = docText('graph_too_large', (options as HelperOptions).data.root.lang).replace('{nodes}', String(tooLarge.nodes)).replace('{edges}', String(tooLarge.edges));
    return safe(`<p class="graph-too-large">${escapeXml(text)}</p>`);
  },
  docMermaid: (graph) => graphMermaid(graph as Graph),
  // A reference as a CommonMark autolink when its URL may be one, else as text (markdown pages).
  docUrl: (url) => safe(markdownUrl(String(url))),
});

let docEnvironment: TemplateEnvironment | undefined;
const compiled = new Map<string, Render<unknown>>();
function renderPage(page: Page, format: Format, view: unknown): string {
  const name = `${page}.${format}.hbs`;
  let render = compiled.get(name);
  if (!render) {
    docEnvironment ??= createTemplateEnvironment({ ...REPORT_HELPERS, ...DOC_HELPERS });
    render = docEnvironment.compile<unknown>(readFileSync(join(docDir, name), 'utf8'), { escape: format === 'html' ? 'html' : 'markdown', source: `reports/kb-doc/${name}` });
    compiled.set(name, render);
  }
  return render(view);
}

// ---------------------------------------------------------------------------- views

interface RuleEntry {
  rule: CompiledRule;
  cf: number;
}

interface KbView {
  name: string;
  version: string;
  hash: string;
}

interface RuleView {
  id: string;
  description: string;
  condition: string;
  cf: number;
  positive: boolean;
  status: string;
  replacedBy?: string;
  others: Array<{ id: string; cf: number; positive: boolean }>;
}

interface CheckView {
  command: string;
  where: string;
  confirms: string;
  rulesOut: string;
}

interface HypothesisPageView {
  lang: string;
  kb: KbView;
  id: string;
  title: string;
  category: string;
  categoryLabel: string;
  description: string;
  symptoms: string[];
  /** Supporting rules, then refuting ones (templates have no partials, so one loop renders both). */
  ruleGroups: Array<{ title: string; rules: RuleView[] }>;
  /** Its likelihood table, the facts it tells apart most first (likelihoodTable). */
  likelihoods: LikelihoodRow[];
  /** Each check with its variants (commandBy), each shown for the value that chooses it (`when`: app.runtime = node). */
  checks: Array<CheckView & { variants: Array<CheckView & { when: string }> }>;
  questions: Array<{ fact: string; text: string; help?: string; how?: string; effort: string; variants: Array<{ when: string; how: string }> }>;
  scenarios: Array<{ story: string; source: string; file: string; role: string; redHerring: boolean }>;
  /** `href` is the url when it may be a link (isLinkableUrl); other urls are shown as text. */
  references: Array<{ title: string; url?: string; href?: string }>;
  graph: Graph;
}

interface IndexView {
  lang: string;
  kb: KbView;
  counts: { hypotheses: number; rules: number; questions: number; scenarios: number; facts: number };
  categories: Array<{
    id: string;
    label: string;
    count: number;
    hypotheses: Array<{ id: string; title: string; rulesFor: number; rulesAgainst: number; checks: number; scenarios: number }>;
    graph: Graph;
  }>;
  facts: Array<{ name: string; type: string; question?: string; rules: number; hypotheses: string[] }>;
}

/** A command as a diagnosis shows it before any fact is known: `{{target.host}}` reads `'<target.host>'`. */
function placeholders(command: string, source: string): string {
  return commandEnvironment().commandTemplate(command, source)({});
}

function formatCf(cf: number): string {
  return `${cf > 0 ? '+' : ''}${cf.toFixed(2)}`;
}

function signOf(cf: number): Sign {
  return cf > 0 ? 'pos' : 'neg';
}

/** A fact's type in a few words: its enum values, or its JSON type and unit (in the language of the site). */
function factType(vocabulary: Vocabulary, name: string, lang: string): string {
  const spec = vocabulary.facts.get(name);
  if (!spec) return '';
  if (spec.values) return spec.values.join(' | ');
  return spec.unit ? `${spec.type} (${unitText(spec.unit, lang)})` : spec.type;
}

/** Everything the pages need, indexed once: which rules and scenarios speak to which hypothesis. */
class Site {
  readonly text: (key: string) => string;
  readonly loc: (text: LocalizedText) => string;
  readonly rulesOf = new Map<string, RuleEntry[]>();
  readonly scenariosOf = new Map<string, Array<{ scenario: Scenario; role: 'top1' | 'alternate' }>>();
  readonly kbView: KbView;
  readonly legend: Record<Swatch, string>;

  constructor(
    readonly kb: KnowledgeBase,
    readonly scenarios: readonly Scenario[],
    readonly lang: string,
  ) {
    this.text = (key) => docText(key, lang);
    this.loc = (text) => localize(text, lang);
    this.kbView = { name: kb.meta.name, version: kb.meta.version, hash: kb.meta.hash };
    this.legend = {
      fact: this.text('legend_fact'),
      rule: this.text('legend_rule'),
      hypothesis: this.text('legend_hypothesis'),
      pos: this.text('legend_supports'),
      neg: this.text('legend_refutes'),
      none: this.text('legend_reads'),
    };
    for (const rule of kb.rules) for (const e of rule.rule.evidence) push(this.rulesOf, e.hypothesis, { rule, cf: e.cf });
    for (const entries of this.rulesOf.values()) entries.sort((a, b) => b.cf - a.cf || a.rule.id.localeCompare(b.rule.id));
    for (const scenario of scenarios) {
      push(this.scenariosOf, scenario.expect.top1, { scenario, role: 'top1' });
      for (const alt of scenario.expect.alternates ?? []) push(this.scenariosOf, alt, { scenario, role: 'alternate' });
    }
  }

  hypothesesIn(category: string): LoadedHypothesis[] {
    return [...this.kb.hypotheses.values()].map((h) => h.value).filter((h) => h.category === category);
  }

  rules(id: string): RuleEntry[] {
    return this.rulesOf.get(id) ?? [];
  }

  hypothesisPage(h: LoadedHypothesis): HypothesisPageView {
    const entries = this.rules(h.id);
    const ruleView = ({ rule, cf }: RuleEntry): RuleView => ({
      id: rule.id,
      description: this.loc(rule.rule.description),
      condition: readableCondition(rule.rule.conditions, this.kb.conditions, this.lang),
      cf,
      positive: cf > 0,
      status: this.text(`status_${rule.rule.status ?? 'stable'}`),
      ...(rule.rule.replacedBy !== undefined && { replacedBy: rule.rule.replacedBy }),
      others: rule.rule.evidence.filter((e) => e.hypothesis !== h.id).map((e) => ({ id: e.hypothesis, cf: e.cf, positive: e.cf > 0 })),
    });
    const likelihoods = likelihoodTable(this.kb, h.id);
    const facts = feedingFacts(entries.map((e) => e.rule), likelihoods);
    return {
      lang: this.lang,
      kb: this.kbView,
      id: h.id,
      title: this.loc(h.title),
      category: h.category,
      categoryLabel: this.text(`cat_${h.category}`),
      description: this.loc(h.description),
      symptoms: h.symptoms ?? [],
      ruleGroups: [
        { title: this.text('rules_for'), rules: entries.filter((e) => e.cf > 0).map(ruleView) },
        { title: this.text('rules_against'), rules: entries.filter((e) => e.cf <= 0).map(ruleView) },
      ],
      likelihoods,
      checks: h.checks.map((c, i) => ({
        ...this.checkView(c, `${h.id} check ${i}`),
        ...(c.run !== undefined && { run: c.run }),
        variants: Object.entries(c.commandBy?.variants ?? {}).map(([value, v]) => ({ when: `${c.commandBy?.fact} = ${value}`, ...this.checkView(v, `${h.id} check ${i} for ${value}`) })),
      })),
      questions: [...this.kb.questions.values()]
        .map((q) => q.value)
        .filter((q) => facts.has(q.fact))
        .sort((a, b) => a.fact.localeCompare(b.fact))
        .map((q) => ({
          fact: q.fact,
          text: this.loc(q.text),
          ...(q.help !== undefined && { help: this.loc(q.help) }),
          ...(q.how !== undefined && { how: placeholders(q.how, `question ${q.fact}`) }),
          effort: this.text(`effort_${q.effort ?? 'medium'}`),
          variants: Object.entries(q.howBy?.variants ?? {}).map(([value, v]) => ({ when: `${q.howBy?.fact} = ${value}`, how: placeholders(v.how, `question ${q.fact} for ${value}`) })),
        })),
      scenarios: (this.scenariosOf.get(h.id) ?? []).map(({ scenario, role }) => ({
        story: scenario.story,
        source: scenario.source,
        file: scenario.file,
        role: this.text(`role_${role}`),
        redHerring: scenario.redHerring === true,
      })),
      references: (h.references ?? []).map((r) => ({ ...r, ...(r.url !== undefined && isLinkableUrl(r.url) && { href: r.url }) })),
      graph: this.hypothesisGraph(h, entries),
    };
  }

  private checkView(c: CheckVariant, source: string): CheckView {
    return { command: placeholders(c.command, source), where: this.text(`where_${c.where ?? 'any'}`), confirms: this.loc(c.confirms), rulesOut: this.loc(c.rulesOut) };
  }

  /** Facts | the rules that speak to this hypothesis (by cf, supporting first) | the hypothesis. */
  private hypothesisGraph(h: Hypothesis, entries: readonly RuleEntry[]): Graph {
    const facts = [...new Set(entries.flatMap((e) => e.rule.facts))].sort();
    const reads = this.text('legend_reads');
    return {
      title: `${this.text('graph_page')}: ${h.id}`,
      legend: this.legend,
      columns: [
        { heading: this.text('col_facts'), kind: 'fact', fixed: false, nodes: facts.map((f) => this.factNode(f, '../index.html')) },
        {
          heading: this.text('col_rules'),
          kind: 'rule',
          fixed: true,
          nodes: entries.map(({ rule, cf }) => ({
            key: `r:${rule.id}`,
            label: rule.id,
            tooltip: `${rule.id}: ${this.loc(rule.rule.description)}`,
            href: `#rule-${rule.id}`,
            badge: { text: formatCf(cf), sign: signOf(cf) },
          })),
        },
        { heading: this.text('col_hypotheses'), kind: 'hypothesis', fixed: true, nodes: [{ key: `h:${h.id}`, label: h.id, tooltip: this.loc(h.title) }] },
      ],
      edges: [
        ...entries.flatMap(({ rule }) =>
          rule.facts.map((f) => ({ from: `f:${f}`, to: `r:${rule.id}`, sign: 'none' as const, width: 1, label: '', tooltip: `${rule.id} ${reads} ${f}` })),
        ),
        ...entries.map(({ rule, cf }) => ({
          from: `r:${rule.id}`,
          to: `h:${h.id}`,
          sign: signOf(cf),
          width: 1 + 3 * Math.abs(cf),
          label: formatCf(cf),
          tooltip: `${rule.id} → ${h.id}: ${formatCf(cf)}`,
        })),
      ],
    };
  }

  /**
   * Facts | hypotheses of one category. Rules are folded into the edges (one per fact,
   * hypothesis and sign, as thick as the rules behind it): a category has up to ~70 rules,
   * too many for a legible middle column.
   */
  categoryGraph(category: string): Graph {
    const hypotheses = this.hypothesesIn(category);
    const counts = new Map<string, { fact: string; id: string; sign: Sign; n: number }>();
    for (const h of hypotheses) {
      for (const { rule, cf } of this.rules(h.id)) {
        for (const fact of rule.facts) {
          const key = `${fact}\0${h.id}\0${signOf(cf)}`;
          const entry = counts.get(key) ?? { fact, id: h.id, sign: signOf(cf), n: 0 };
          entry.n += 1;
          counts.set(key, entry);
        }
      }
    }
    const facts = [...new Set([...counts.values()].map((c) => c.fact))].sort();
    return {
      title: `${this.text('graph_index')}: ${this.text(`cat_${category}`)}`,
      legend: this.legend,
      columns: [
        { heading: this.text('col_facts'), kind: 'fact', fixed: false, nodes: facts.map((f) => this.factNode(f, '')) },
        {
          heading: this.text('col_hypotheses'),
          kind: 'hypothesis',
          fixed: false,
          nodes: hypotheses.map((h) => ({ key: `h:${h.id}`, label: h.id, tooltip: this.loc(h.title), href: `hypotheses/${h.id}.html` })),
        },
      ],
      edges: [...counts.values()].map(({ fact, id, sign, n }) => ({
        from: `f:${fact}`,
        to: `h:${id}`,
        sign,
        width: 1 + 0.8 * Math.min(n - 1, 4),
        label: `${sign === 'pos' ? '+' : '-'}${n}`,
        tooltip: `${fact} → ${id}: ${n} ${this.text(sign === 'pos' ? 'edge_for' : 'edge_against')}`,
      })),
    };
  }

  /** A fact box links to its row in the index's fact table; its tooltip is the question that asks for it. */
  private factNode(fact: string, page: string): GraphNode {
    const question = this.kb.questions.get(fact)?.value.text;
    return { key: `f:${fact}`, label: fact, tooltip: question ? `${fact}: ${this.loc(question)}` : fact, href: `${page}#fact-${fact}` };
  }

  indexView(): IndexView {
    const readers = new Map<string, CompiledRule[]>();
    for (const rule of this.kb.rules) for (const f of rule.facts) push(readers, f, rule);
    const names = [...new Set([...readers.keys(), ...this.kb.questions.keys()])].sort();
    return {
      lang: this.lang,
      kb: this.kbView,
      counts: {
        hypotheses: this.kb.hypotheses.size,
        rules: this.kb.rules.length,
        questions: this.kb.questions.size,
        scenarios: this.scenarios.length,
        facts: names.length,
      },
      categories: CATEGORY_ORDER.filter((c) => this.hypothesesIn(c).length > 0).map((c) => {
        const hypotheses = this.hypothesesIn(c);
        return {
          id: c,
          label: this.text(`cat_${c}`),
          count: hypotheses.length,
          hypotheses: hypotheses.map((h) => ({
            id: h.id,
            title: this.loc(h.title),
            rulesFor: this.rules(h.id).filter((e) => e.cf > 0).length,
            rulesAgainst: this.rules(h.id).filter((e) => e.cf <= 0).length,
            checks: h.checks.length,
            scenarios: this.scenariosOf.get(h.id)?.length ?? 0,
          })),
          graph: this.categoryGraph(c),
        };
      }),
      facts: names.map((name) => {
        const rules = readers.get(name) ?? [];
        const question = this.kb.questions.get(name)?.value.text;
        return {
          name,
          type: factType(this.kb.vocabulary, name, this.lang),
          ...(question !== undefined && { question: this.loc(question) }),
          rules: rules.length,
          hypotheses: [...new Set(rules.flatMap((r) => r.rule.evidence.map((e) => e.hypothesis)))].sort(),
        };
      }),
    };
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Hypothesis ids become file names: refuse anything that could leave the hypotheses/ folder. */
function pageName(id: string): string {
  if (!/^[a-z0-9_][a-z0-9_.-]*$/i.test(id) || id.includes('..')) throw new Error(`hypothesis id "${id}" cannot be a file name`);
  return id;
}

// ---------------------------------------------------------------------------- entry points

/**
 * The knowledge base as a static site: relative file name -> content. HTML and markdown
 * carry the same content; every link is relative and nothing is fetched (no scripts,
 * styles, fonts or images from elsewhere; the index's one inline script is its search box),
 * so the site opens from disk.
 */
export function renderDocSite(kb: KnowledgeBase, scenarios: readonly Scenario[], options: DocOptions): Map<string, string> {
  const site = new Site(kb, scenarios, options.lang);
  const files = new Map<string, string>();
  const index = site.indexView();
  for (const format of FORMATS) files.set(`index.${format}`, renderPage('index', format, index));
  for (const { value } of kb.hypotheses.values()) {
    const view = site.hypothesisPage(value);
    for (const format of FORMATS) files.set(`hypotheses/${pageName(value.id)}.${format}`, renderPage('hypothesis', format, view));
  }
  return files;
}

/** The index's graph of one category (facts | hypotheses), as the index page draws it. */
export function categoryGraph(kb: KnowledgeBase, scenarios: readonly Scenario[], category: Hypothesis['category'], options: DocOptions): Graph {
  return new Site(kb, scenarios, options.lang).categoryGraph(category);
}

/**
 * The file writeDocSite leaves in its output directory, naming the files it wrote: the next run
 * recognises its own site by it (a directory without one is not rca kb doc's to fill) and removes
 * the pages that site had and the new one has not.
 */
export const DOC_MARKER = '.rca-kb-doc.json';
const WRITTEN_BY = 'rca kb doc';

/** The path of a site's file under root; a name that would leave it is refused (a bug, or a hand-made marker). */
function sitePath(root: string, name: string): string {
  const target = resolve(root, name);
  const rel = relative(root, target);
  if (isAbsolute(name) || rel === '' || rel.startsWith('..') || isAbsolute(rel)) throw new Error(`refusing to write "${name}" outside ${root}`);
  return target;
}

/** The files of the site an earlier writeDocSite left in dir, as its marker lists them; undefined when dir holds no such marker. */
export function previousDocSite(dir: string): string[] | undefined {
  let marker: { writtenBy?: unknown; files?: unknown };
  try {
    marker = JSON.parse(readFileSync(join(dir, DOC_MARKER), 'utf8')) as typeof marker;
  } catch {
    return undefined; // none, or not JSON: not a marker of ours
  }
  const files = marker?.files;
  if (marker?.writtenBy !== WRITTEN_BY || !Array.isArray(files) || !files.every((f): f is string => typeof f === 'string')) return undefined;
  try {
    for (const name of files) sitePath(resolve(dir), name);
  } catch {
    return undefined;
  }
  return files;
}

/**
 * Refuses a symbolic link on the way from root to target (the target included): a link in the
 * output directory, or a marker naming a path through one, would make the site's removals and
 * writes reach a file outside it. The output directory itself may be a link; what is under it is
 * the site's own.
 */
function refuseLinks(root: string, target: string): void {
  let at = root;
  for (const part of relative(root, target).split(/[\\/]/)) {
    at = join(at, part);
    let link: boolean;
    try {
      link = lstatSync(at).isSymbolicLink();
    } catch {
      return; // not there yet: nothing below it is either
    }
    if (link) throw new UsageError(`--out: expected the site's own files and folders in ${root}, got a symbolic link at ${at}; remove it, or write the site elsewhere`);
  }
}

/** Removes dir when it is empty, then its parents up to root (the folders of a site's removed pages). */
function removeEmptyDirs(dir: string, root: string): void {
  for (let at = dir; at !== root && at.startsWith(root) && readdirSync(at).length === 0; at = dirname(at)) rmdirSync(at);
}

/**
 * Writes the site under outDir (created as needed), replacing the site an earlier run left there:
 * its files that this site has not are removed. Returns the paths written and removed.
 */
export function writeDocSite(files: ReadonlyMap<string, string>, outDir: string): { written: string[]; removed: string[] } {
  const root = resolve(outDir);
  const targets = new Map([...files.keys()].map((name) => [name, sitePath(root, name)]));
  const previous = previousDocSite(root) ?? [];
  const writeMarker = (names: Iterable<string>) => writeFileSync(join(root, DOC_MARKER), `${JSON.stringify({ writtenBy: WRITTEN_BY, files: [...names].sort() }, null, 2)}\n`);
  for (const name of new Set([DOC_MARKER, ...previous, ...files.keys()])) refuseLinks(root, sitePath(root, name));
  mkdirSync(root, { recursive: true });
  // Listing both sites first, so a run cut short leaves no file of either unlisted for the next to remove.
  writeMarker(new Set([...previous, ...files.keys()]));
  const removed: string[] = [];
  for (const name of previous.filter((name) => !files.has(name))) {
    const target = sitePath(root, name);
    if (!existsSync(target)) continue;
    rmSync(target);
    removeEmptyDirs(dirname(target), root);
    removed.push(target);
  }
  const written: string[] = [];
  for (const [name, content] of files) {
    const target = targets.get(name) as string;
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
    written.push(target);
  }
  writeMarker(files.keys());
  return { written, removed };
}
