import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReport } from '../../src/core/render.js';
import { CHROMIUM_ARGS, sidewaysOverflow } from '../browser-checks.js';
import { diagnoseFacts } from '../support.js';

// The HTML report in Debian's chromium (scripts/test.sh installs it), as doc-browser.test.ts does.

describe('the HTML report in a browser: copy buttons', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rca-html-report-'));
  const file = join(dir, 'report.html');
  /** examples/01's report: tables of evidence, rule ids and fact names too long to break at a space. */
  const example = join(dir, 'example-01.html');
  /** A differential of eleven causes, whose descriptions hold words longer than a narrow line (NET::ERR_CERT_AUTHORITY_INVALID). */
  const errors = join(dir, 'errors-all-clients.html');
  /** examples/02 in Chinese: a value too long for a narrow column of its evidence (no_live_upstreams). */
  const lb503Chinese = join(dir, 'example-02.zh-CN.html');
  let browser: Browser;

  beforeAll(async () => {
    const diagnosis = await diagnoseFacts({ 'ping.result': 'fail', 'tcp.connect': 'ok', 'target.host': 'db1.example.com' });
    writeFileSync(file, renderReport(diagnosis, 'html'));
    const incident = JSON.parse(readFileSync('examples/01-apm-agent-cpu.json', 'utf8')) as { summary: string; facts: unknown };
    writeFileSync(example, renderReport({ ...(await diagnoseFacts(incident.facts)), summary: incident.summary }, 'html'));
    writeFileSync(errors, renderReport(await diagnoseFacts({ 'symptom.kind': 'errors', 'symptom.scope': 'all_clients' }), 'html'));
    const lb503 = JSON.parse(readFileSync('examples/02-lb-503-all-unhealthy.json', 'utf8')) as { facts: unknown };
    writeFileSync(lb503Chinese, renderReport(await diagnoseFacts(lb503.facts, { lang: 'zh-CN' }), 'html'));
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A page as served over plain http, where browsers offer no clipboard API; `copyCommand` says what execCommand('copy') answers. */
  async function withoutClipboardApi(copyCommand: boolean): Promise<Page> {
    const page = await browser.newPage();
    // A string, as the test's TypeScript has no DOM types: it runs in the page.
    await page.addInitScript(`Object.defineProperty(navigator, 'clipboard', { value: undefined }); document.execCommand = () => ${copyCommand};`);
    await page.goto(pathToFileURL(file).href);
    return page;
  }

  const firstCommand = (page: Page) => page.locator('div.cmd').first();

  it('without the clipboard API, copies the selected command', async () => {
    const page = await withoutClipboardApi(true);
    await firstCommand(page).locator('button.copy').click();
    expect(await firstCommand(page).locator('button.copy').textContent()).toBe('copied');
    expect(await page.evaluate('window.getSelection().toString()')).toBe(await firstCommand(page).locator('code').textContent());
  });

  it('when even that is refused, leaves the command selected and says how to copy it', async () => {
    const page = await withoutClipboardApi(false);
    await firstCommand(page).locator('button.copy').click();
    expect(await firstCommand(page).locator('button.copy').textContent()).toBe('selected: press Ctrl+C');
    expect(await page.evaluate('window.getSelection().toString()')).toBe(await firstCommand(page).locator('code').textContent());
  });

  it('reflows to a 320 px wide window: nothing but a command scrolls sideways (WCAG 1.4.10)', async () => {
    const page = await browser.newPage({ viewport: { width: 320, height: 640 } });
    for (const report of [file, example, errors, lb503Chinese]) {
      await page.goto(pathToFileURL(report).href);
      expect(await sidewaysOverflow(page), report).toEqual({ scroll: 0, sticking: [] });
    }
  });

  it('shows no copy button where scripts do not run (JavaScript off, a ticket viewer that strips scripts), where it would do nothing', async () => {
    expect(readFileSync(file, 'utf8').match(/<button [^>]*>/g)?.every((tag) => / hidden[ >]/.test(tag))).toBe(true);
    const page = await browser.newPage({ javaScriptEnabled: false });
    await page.goto(pathToFileURL(file).href);
    expect(await page.locator('div.cmd code').count()).toBeGreaterThan(1);
    expect(await page.getByRole('button').count()).toBe(0);

    const scripted = await browser.newPage();
    await scripted.goto(pathToFileURL(file).href);
    expect(await scripted.getByRole('button').count()).toBe(await scripted.locator('div.cmd code').count());
    expect(await scripted.locator('button.copy').first().isVisible()).toBe(true);
  });

  it('names each copy button for what it copies, so a screen reader or voice control tells them apart (WCAG 2.4.6, 2.5.3)', async () => {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(example).href);
    const commands = (await page.locator('div.cmd code').allTextContents()).map((text) => text.replace(/\s+/g, ' ').trim());
    expect(commands.length).toBeGreaterThan(3);
    // As chromium's accessibility tree names them: "copy" and the command, each (a command two causes share has two).
    for (const command of new Set(commands)) {
      expect(await page.getByRole('button', { name: `copy ${command}`, exact: true }).count(), command).toBe(commands.filter((c) => c === command).length);
    }
    expect(await page.getByRole('button', { name: 'copy', exact: true }).count()).toBe(0);
  });

  it('says what a copy came to in a status message a screen reader speaks, the clipboard refused too, pressed from the keyboard (WCAG 4.1.3, 2.1.1)', async () => {
    // The clipboard API there but refused (no permission), as a browser may answer a page from disk.
    const refused = (copyCommand: boolean) => `navigator.clipboard.writeText = () => Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError')); document.execCommand = () => ${copyCommand};`;
    for (const [copyCommand, said] of [[true, 'copied'], [false, 'selected: press Ctrl+C']] as const) {
      const page = await browser.newPage();
      await page.addInitScript(refused(copyCommand));
      await page.goto(pathToFileURL(file).href);
      const status = page.getByRole('status');
      expect(await status.count()).toBe(1);
      expect(await status.textContent()).toBe('');
      await page.keyboard.press('Tab');
      expect(await page.evaluate('document.activeElement.className')).toBe('copy');
      await page.keyboard.press('Enter');
      await expect.poll(() => status.textContent()).toBe(said);
      expect(await firstCommand(page).locator('button.copy').textContent()).toBe(said);
    }
  });

  /** A ticketing system's page of its own: headings, a table, a copy button and a status line that are not the report's. */
  const HOST_PAGE = (inside: string) =>
    `<!doctype html><html><head><style>body { background: rgb(1, 2, 3); margin: 7px; } .meta { color: rgb(4, 5, 6); }</style></head><body><h1 id="host-title">Ticket 42</h1><p class="meta" id="host-meta">opened</p><table id="host-table"><tr><td>a</td></tr></table><button type="button" class="copy" id="host-copy" hidden>host</button><div id="host-report">${inside}</div></body></html>`;
  const HOST_STYLES = `(() => { const css = (id, ...names) => names.map((n) => getComputedStyle(document.getElementById(id))[n]); return { body: [getComputedStyle(document.body).backgroundColor, getComputedStyle(document.body).margin, getComputedStyle(document.body).fontFamily], title: css('host-title', 'fontSize', 'margin'), meta: css('host-meta', 'color', 'fontSize'), table: css('host-table', 'width', 'borderCollapse'), copyHidden: document.getElementById('host-copy').hidden }; })()`;

  it('put into another page (a ticket viewer), restyles none of that page: every rule is scoped to the report', async () => {
    const page = await browser.newPage();
    await page.setContent(HOST_PAGE(''));
    const alone = await page.evaluate(HOST_STYLES);
    // innerHTML keeps the report's <style> and drops its <html>, <head> and <body> (and runs no script).
    await page.evaluate(`document.getElementById('host-report').innerHTML = ${JSON.stringify(readFileSync(example, 'utf8'))}`);
    expect(await page.locator('#host-report style').count()).toBe(1);
    expect(await page.evaluate(HOST_STYLES)).toEqual(alone);
    // The report keeps its own look inside it.
    expect(await page.evaluate(`getComputedStyle(document.querySelector('.rca-report h1')).fontSize`)).toBe('22px');
    expect(await page.evaluate(`getComputedStyle(document.querySelector('.rca-report .meta')).color`)).toBe('rgb(91, 101, 117)');
  });

  it('two reports in one page, scripts run: each copy button speaks in its own report, the page keeps its globals and its own buttons', async () => {
    const own = (html: string) => html.slice(html.indexOf('<main'), html.indexOf('</script>') + '</script>'.length);
    const first = readFileSync(file, 'utf8');
    const style = first.slice(first.indexOf('<style>'), first.indexOf('</style>') + '</style>'.length);
    const page = await browser.newPage();
    await page.addInitScript(`navigator.clipboard.writeText = () => Promise.resolve();`);
    const both = join(dir, 'two-reports.html');
    writeFileSync(both, HOST_PAGE(`${style}${own(first)}${own(readFileSync(example, 'utf8'))}`));
    await page.goto(pathToFileURL(both).href);
    expect(await page.evaluate(`[typeof say, typeof statusRegion, document.getElementById('host-copy').hidden]`)).toEqual(['undefined', 'undefined', true]);
    const reports = page.locator('main.rca-report');
    expect(await reports.count()).toBe(2);
    // Each report's copy buttons are named by its own commands (their ids are the report's own).
    const ids = await page.evaluate(`[...document.querySelectorAll('[id]')].map((e) => e.id)`) as string[];
    expect(ids.filter((id, i) => ids.indexOf(id) !== i && !id.includes('.'))).toEqual([]);
    for (const n of [0, 1]) {
      const command = ((await reports.nth(n).locator('div.cmd code').first().textContent()) ?? '').replace(/\s+/g, ' ').trim();
      expect(await reports.nth(n).getByRole('button', { name: `copy ${command}`, exact: true }).count()).toBeGreaterThan(0);
    }
    await reports.nth(1).locator('button.copy').first().click();
    await expect.poll(() => reports.nth(1).getByRole('status').textContent()).toBe('copied');
    expect(await reports.nth(0).getByRole('status').textContent()).toBe('');
    expect(await reports.nth(0).locator('button.copy').first().textContent()).toBe('copy');
  });
});
