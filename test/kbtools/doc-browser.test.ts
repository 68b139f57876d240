import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderDocSite, writeDocSite } from '../../src/kbtools/doc.js';
import { CHROMIUM_ARGS, contrastRatio, lowContrastTexts, sidewaysOverflow } from '../browser-checks.js';
import { loadScenarios, shippedKb } from '../support.js';

// Opens the written site from disk in a real browser: Debian's chromium, driven by
// playwright-core (.ci/run installs chromium; playwright's own browser download is not used).
// Screenshots stay in the temp folder while RCA_KEEP_DOC_SITE is set, for a look by eye.
const TITLE = 'The load balancer has no healthy backend and answers 503 itself';
const RULE = 'lb.all_backends_unhealthy_503';

describe('the documentation site in a browser', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rca-doc-site-'));
  let browser: Browser;

  // Rendering every page and its graph, then starting a browser, takes seconds; on a loaded
  // two-core machine more than vitest's default 10 s for a hook. A minute still catches a stall.
  beforeAll(async () => {
    writeDocSite(renderDocSite(shippedKb(), loadScenarios(), { lang: 'en' }), dir);
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (!process.env.RCA_KEEP_DOC_SITE) rmSync(dir, { recursive: true, force: true });
    else console.log(`doc site and screenshots kept in ${dir}`);
  });

  it('opens the index from disk, follows a link to a hypothesis page, and shows its rules and graph', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    // Every request the pages make, to prove the site needs nothing but its own files.
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));

    await page.goto(pathToFileURL(join(dir, 'index.html')).href);
    await expect.poll(() => page.locator('svg.graph').count()).toBeGreaterThan(0);
    expect(await page.locator('h1').textContent()).toBe('rca knowledge base');
    await page.screenshot({ path: join(dir, 'index.png') });

    await page.locator('table').getByRole('link', { name: TITLE, exact: true }).click();
    await page.waitForURL(/hypotheses\/lb\.no_healthy_backend\.html$/);
    expect(await page.locator('h1').textContent()).toBe(TITLE);

    const rule = page.locator(`[id="rule-${RULE}"]`);
    await expect.poll(() => rule.isVisible()).toBe(true);
    expect(await rule.locator('.cond').textContent()).toBe('IF http.status is 503 AND lb.backend_health is all_unhealthy');
    expect(await rule.textContent()).toContain('cf +0.60');

    const graph = page.locator('svg.graph');
    expect(await graph.count()).toBe(1);
    expect(await graph.locator('path.edge').count()).toBeGreaterThan(0);
    expect(await graph.locator('text', { hasText: RULE }).isVisible()).toBe(true);
    const box = await graph.boundingBox();
    expect(box?.width).toBeGreaterThan(400);
    expect(box?.height).toBeGreaterThan(150);
    await graph.screenshot({ path: join(dir, 'graph.png') });
    await page.screenshot({ path: join(dir, 'hypothesis.png'), fullPage: true });
    expect(statSync(join(dir, 'hypothesis.png')).size).toBeGreaterThan(10_000);

    // A rule node of the graph is a link to that rule on the same page.
    await graph.locator(`a[href="#rule-${RULE}"]`).click();
    await page.waitForURL(new RegExp(`#rule-${RULE.replace(/\./g, '\\.')}$`));

    expect(requests.length).toBeGreaterThan(1);
    expect(requests.filter((url) => !url.startsWith('file://'))).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('draws the network layer\'s graph laid out by dagre: every node box on screen, none overlapping another, every edge drawn', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(pathToFileURL(join(dir, 'index.html')).href);
    const graph = page.locator('section#cat-network svg.graph');
    await expect.poll(() => graph.count()).toBe(1);
    await graph.scrollIntoViewIfNeeded();
    const rects = graph.locator('.node rect');
    expect(await rects.count()).toBe(73);
    expect(await graph.locator('path.edge').count()).toBe(215);
    // Boxes as the browser lays them out (viewport pixels, as the SVG's own box); each has a size and lies inside the SVG.
    const svgBox = await graph.boundingBox();
    const boxes = (await Promise.all((await rects.all()).map((rect) => rect.boundingBox()))).map((b) => ({ x: b?.x ?? NaN, y: b?.y ?? NaN, w: b?.width ?? 0, h: b?.height ?? 0 }));
    const page0 = { x: svgBox?.x ?? 0, y: svgBox?.y ?? 0 };
    for (const b of boxes) {
      expect(b.w).toBeGreaterThan(20);
      expect(b.h).toBeGreaterThan(10);
      expect(b.x).toBeGreaterThanOrEqual(page0.x - 1);
      expect(b.y).toBeGreaterThanOrEqual(page0.y - 1);
      expect(b.x + b.w).toBeLessThanOrEqual(page0.x + (svgBox?.width ?? 0) + 1);
      expect(b.y + b.h).toBeLessThanOrEqual(page0.y + (svgBox?.height ?? 0) + 1);
    }
    const overlaps = boxes.flatMap((a, i) => boxes.slice(i + 1).filter((b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h).map((b) => [a, b]));
    expect(overlaps).toEqual([]);
    // A node is visible and its label readable where it is drawn.
    expect(await graph.locator('.node text', { hasText: 'http.status' }).first().isVisible()).toBe(true);
    await graph.screenshot({ path: join(dir, 'network-graph.png') });
    expect(statSync(join(dir, 'network-graph.png')).size).toBeGreaterThan(10_000);
    expect(errors).toEqual([]);
  });

  it('the index\'s search box keeps the root causes and facts that hold every word typed, and says when nothing does', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(pathToFileURL(join(dir, 'index.html')).href);
    const search = page.getByRole('searchbox', { name: 'Search root causes and facts' });
    await expect.poll(() => search.isVisible()).toBe(true);
    const rows = page.locator('main section tbody tr');
    const visibleRows = () => rows.evaluateAll((all) => all.filter((row) => (row as unknown as { offsetParent: unknown }).offsetParent !== null).length);
    const total = await rows.count();
    expect(await visibleRows()).toBe(total);

    await search.fill('backend 503');
    await expect.poll(visibleRows).toBeLessThan(total);
    expect(await visibleRows()).toBeGreaterThan(0);
    expect(await page.locator('table').getByRole('link', { name: TITLE, exact: true }).isVisible()).toBe(true);
    expect(await page.locator('section#cat-dns').isVisible()).toBe(false);
    expect(await page.locator('#search-none').isVisible()).toBe(false);
    await page.screenshot({ path: join(dir, 'search.png') });

    await search.fill('HTTP.STATUS');
    expect(await page.locator('[id="fact-http.status"]').isVisible()).toBe(true);
    expect(await page.locator('[id="fact-dns.result"]').isVisible()).toBe(false);

    await search.fill('no-such-word-anywhere');
    await expect.poll(visibleRows).toBe(0);
    expect(await page.locator('#search-none').isVisible()).toBe(true);

    await search.fill('');
    await expect.poll(visibleRows).toBe(total);
    expect(await page.locator('#search-none').isVisible()).toBe(false);
    expect(errors).toEqual([]);
  });

  it('shows every text, the graphs\' labels and badges too, at a contrast of 4.5:1 or more (WCAG 1.4.3)', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const found: Record<string, string[]> = {};
    for (const file of ['index.html', 'hypotheses/lb.no_healthy_backend.html']) {
      await page.goto(pathToFileURL(join(dir, file)).href);
      found[file] = await lowContrastTexts(page);
    }
    expect(found).toEqual({ 'index.html': [], 'hypotheses/lb.no_healthy_backend.html': [] });
  });

  it('reflows to a 320 px wide window: nothing but a command, a graph or a table scrolls sideways, each in its own box (WCAG 1.4.10)', async () => {
    const page = await browser.newPage({ viewport: { width: 320, height: 640 } });
    // Every page: a long word of one cause's text (NET::ERR_CERT_AUTHORITY_INVALID) is enough.
    const files = ['index.html', ...readdirSync(join(dir, 'hypotheses')).filter((f) => f.endsWith('.html')).map((f) => `hypotheses/${f}`)];
    expect(files.length).toBeGreaterThan(50);
    const found: Record<string, unknown> = {};
    for (const file of files) {
      await page.goto(pathToFileURL(join(dir, file)).href);
      const overflow = await sidewaysOverflow(page);
      if (overflow.scroll !== 0 || overflow.sticking.length > 0) found[file] = overflow;
    }
    expect(found).toEqual({});
  });

  it('says "nothing matches" in a status a screen reader speaks as it appears, not only on screen (WCAG 4.1.3)', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    await page.goto(pathToFileURL(join(dir, 'index.html')).href);
    const search = page.getByRole('searchbox', { name: 'Search root causes and facts' });
    await expect.poll(() => search.isVisible()).toBe(true);
    const status = page.getByRole('status');
    expect(await status.count()).toBe(1);
    expect(await status.innerText()).toBe('');
    await search.fill('no-such-word-anywhere');
    await expect.poll(() => status.innerText()).toBe('Nothing matches every word.');
    await search.fill('backend');
    await expect.poll(() => status.innerText()).toBe('');
  });

  it("draws the search field's edge at 3:1 or more against the page and the field, so low vision finds it (WCAG 1.4.11)", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    await page.goto(pathToFileURL(join(dir, 'index.html')).href);
    const search = page.getByRole('searchbox', { name: 'Search root causes and facts' });
    await expect.poll(() => search.isVisible()).toBe(true);
    const [edge, field, around] = (await page.evaluate(
      `(() => { const input = getComputedStyle(document.getElementById('search')); return [input.borderTopColor, input.backgroundColor, getComputedStyle(document.body).backgroundColor]; })()`,
    )) as [string, string, string];
    expect(contrastRatio(edge, around)).toBeGreaterThanOrEqual(3);
    expect(contrastRatio(edge, field)).toBeGreaterThanOrEqual(3);
  });
});
