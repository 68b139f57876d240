import type { Page } from 'playwright-core';

/**
 * Accessibility checks the browser tests of the HTML report and the kb doc site share, measured
 * on the page as chromium lays it out. The page functions are strings, as the tests' TypeScript
 * has no DOM types: they run in the page.
 */

/** Debian's chromium (scripts/test.sh installs it), driven by playwright-core. */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * Every visible text of the page whose contrast with what is behind it is under WCAG 2.2's
 * 1.4.3 minimum (4.5:1; 3:1 for large text: 24px, or 18.66px bold), as
 * 'rgb(…) on rgb(…) 4.38 < 4.5: "text"', once per colour pair and threshold. Behind an HTML text is the
 * nearest opaque background up its ancestors, else white; behind an SVG text the fill of the box it
 * labels (the rect of its node), else the background of the SVG's own box.
 */
export async function lowContrastTexts(page: Page): Promise<string[]> {
  const texts = (await page.evaluate(`(() => {
    const opaque = (colour) => { const c = (colour.match(/[\\d.]+/g) || []).map(Number); return c.length >= 3 && (c.length < 4 || c[3] === 1); };
    const backgroundOf = (element) => {
      for (let e = element; e; e = e.parentElement) {
        const colour = getComputedStyle(e).backgroundColor;
        if (opaque(colour)) return colour;
      }
      return 'rgb(255, 255, 255)';
    };
    const texts = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const element = node.parentElement;
      if (!node.textContent.trim() || !element || element.closest('script, style, title') || !element.checkVisibility()) continue;
      const style = getComputedStyle(element);
      const box = element.closest('svg') && element.closest('.node')?.querySelector('rect');
      texts.push({
        text: node.textContent.trim().slice(0, 40),
        colour: element.closest('svg') ? style.fill : style.color,
        background: box ? getComputedStyle(box).fill : backgroundOf(element),
        size: parseFloat(style.fontSize),
        bold: Number(style.fontWeight) >= 700,
      });
    }
    return texts;
  })()`)) as Array<{ text: string; colour: string; background: string; size: number; bold: boolean }>;
  const found = new Map<string, string>();
  for (const { text, colour, background, size, bold } of texts) {
    const ratio = contrastRatio(colour, background);
    const minimum = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    const key = `${colour} on ${background} ${ratio.toFixed(2)} < ${minimum}`;
    if (ratio < minimum && !found.has(key)) found.set(key, `${key}: "${text}"`);
  }
  return [...found.values()];
}

/**
 * How far the page scrolls sideways (WCAG 2.2's 1.4.10 Reflow, at a 320 px wide viewport), and the
 * outermost elements that reach past its right edge, but for code blocks, graphs and the kb doc
 * site's tables, which may scroll within their own box (1.4.10 allows it for what needs two dimensions).
 */
export async function sidewaysOverflow(page: Page): Promise<{ scroll: number; sticking: string[] }> {
  return page.evaluate(`(() => {
    const edge = document.documentElement.clientWidth + 1;
    const sticking = [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > edge && !e.closest('pre, .graph-wrap, .table-wrap') && e.parentElement.getBoundingClientRect().right <= edge)
      .map((e) => e.tagName.toLowerCase() + ': ' + e.textContent.trim().slice(0, 40));
    return { scroll: document.documentElement.scrollWidth - document.documentElement.clientWidth, sticking };
  })()`);
}

/** The contrast ratio of two opaque CSS colours as getComputedStyle gives them ('rgb(24, 122, 66)'), by WCAG 2.2's formula. */
export function contrastRatio(a: string, b: string): number {
  const luminance = (colour: string) => {
    const [r = 0, g = 0, bl = 0] = (colour.match(/[\d.]+/g) ?? []).map(Number).map((v) => {
      const c = v / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}
