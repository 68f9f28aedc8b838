// Opens pages of a built site from file:// in headless Chromium at given
// widths and reports, as JSON on stdout, every problem a reader would meet:
// a page that scrolls sideways, text under the minimum size (chart text
// measured as drawn, after the SVG is scaled), chart labels that overlap,
// axe-core violations (WCAG 2.1 A and AA), console errors and requests that
// leave the site. Takes a full-page screenshot of each page at each width.
//
// usage: node check.mjs SITE_DIR ARTIFACT_DIR WIDTHS PAGE...
//   WIDTHS: comma-separated CSS pixel widths, e.g. 390,1366,~360; a width
//   marked ~ is checked for layout and text only (no axe-core, no
//   screenshot), which keeps the run short.
import { createRequire } from 'node:module';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');
const axePath = require.resolve('axe-core/axe.min.js');

const [site, artifacts, widthList, ...pages] = process.argv.slice(2);
const widths = widthList.split(',').map((w) => ({ width: Number(w.replace('~', '')), full: !w.startsWith('~') }));
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';

// Below this viewport width the page is a phone's: charts may be smaller.
const PHONE = 640;
const MIN_TEXT = 12;
const MIN_CHART_TEXT_PHONE = 10;

/* Runs in the page: what the reader sees, measured. */
function measure(min) {
  const problems = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > window.innerWidth) {
    problems.push({ kind: 'sideways-scroll', detail: `${doc.scrollWidth}px wide in a ${window.innerWidth}px window` });
  }
  const shown = (el) => el.checkVisibility && el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true });
  // HTML text: every element with text of its own.
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || seen.has(el) || !n.textContent.trim() || el.closest('svg')) continue;
    seen.add(el);
    if (!shown(el)) continue;
    const rect = el.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < min.text - 0.01) {
      problems.push({ kind: 'small-text', detail: `${size.toFixed(1)}px: ${n.textContent.trim().slice(0, 40)}` });
    }
  }
  // Chart text: the font size in user units times the SVG's scale.
  let charts = 0;
  for (const svg of document.querySelectorAll('svg')) {
    if (!shown(svg)) continue;
    charts++;
    const boxes = [];
    for (const t of svg.querySelectorAll('text')) {
      if (!t.textContent.trim()) continue;
      const m = t.getScreenCTM();
      const scale = m ? Math.hypot(m.a, m.b) : 1;
      const size = parseFloat(getComputedStyle(t).fontSize) * scale;
      if (size < min.chart - 0.01) {
        problems.push({ kind: 'small-chart-text', detail: `${size.toFixed(1)}px in ${svg.closest('figure')?.id}: ${t.textContent.trim()}` });
      }
      const r = t.getBoundingClientRect();
      boxes.push({ text: t.textContent.trim(), r });
    }
    // Glyph boxes include the font's leading: allow a pixel each side.
    const e = 1;
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i].r, b = boxes[j].r;
        if (a.left + e < b.right - e && b.left + e < a.right - e && a.top + e < b.bottom - e && b.top + e < a.bottom - e) {
          problems.push({ kind: 'overlapping-labels', detail: `${svg.closest('figure')?.id}: "${boxes[i].text}" and "${boxes[j].text}"` });
        }
      }
    }
  }
  return { problems, charts };
}

mkdirSync(artifacts, { recursive: true });
// The theme's pinned fonts (the ones its PNGs are drawn with) added to the
// system's, so that a machine without Chinese fonts still shows Chinese.
const fonts = resolve(dirname(fileURLToPath(import.meta.url)), '../../themes/default/fonts');
const fontsConf = resolve(artifacts, 'fonts.conf');
writeFileSync(fontsConf, `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><include ignore_missing="yes">/etc/fonts/fonts.conf</include><dir>${fonts}</dir></fontconfig>
`);
const browser = await chromium.launch({
  executablePath,
  args: ['--no-sandbox', '--disable-gpu'],
  env: { ...process.env, FONTCONFIG_FILE: fontsConf },
});
const report = [];
try {
  for (const { width, full } of widths) {
    const context = await browser.newContext({ viewport: { width, height: 900 }, deviceScaleFactor: 1 });
    for (const path of pages) {
      const page = await context.newPage();
      const problems = [];
      // axe-core reads the stylesheets itself, which file:// refuses: its
      // own errors are not the page's.
      let axeRunning = false;
      page.on('console', (m) => {
        if (m.type() === 'error' && !axeRunning) problems.push({ kind: 'console-error', detail: m.text() });
      });
      page.on('pageerror', (e) => problems.push({ kind: 'script-error', detail: String(e) }));
      page.on('request', (r) => {
        const url = r.url();
        if (!url.startsWith('file:') && !url.startsWith('data:')) problems.push({ kind: 'outside-request', detail: url });
      });
      await page.goto(pathToFileURL(resolve(site, path)).href, { waitUntil: 'load' });
      const min = { text: MIN_TEXT, chart: width < PHONE ? MIN_CHART_TEXT_PHONE : MIN_TEXT };
      const measured = await page.evaluate(measure, min);
      problems.push(...measured.problems);
      if (!full) {
        report.push({ page: path, width, charts: measured.charts, screenshot: null, problems });
        await page.close();
        continue;
      }
      axeRunning = true;
      await page.addScriptTag({ path: axePath });
      const axe = await page.evaluate(() => window.axe.run(document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
        resultTypes: ['violations'],
      }));
      for (const v of axe.violations) {
        const where = v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ');
        problems.push({ kind: 'axe', detail: `${v.id} (${v.nodes.length}): ${v.help} at ${where}` });
      }
      const shot = join(artifacts, `${path.replace(/[\/.]/g, '_').replace(/_html$/, '')}-${width}.png`);
      await page.screenshot({ path: shot, fullPage: true });
      // The first screens, at a height a viewer shows without shrinking.
      await page.screenshot({ path: shot.replace(/\.png$/, '-top.png'), clip: { x: 0, y: 0, width, height: 1400 } });
      report.push({ page: path, width, charts: measured.charts, screenshot: shot, problems });
      await page.close();
    }
    await context.close();
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(report, null, 1) + '\n');
