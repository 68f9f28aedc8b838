// Takes the screenshots of the guide for office staff (docs/使用说明.md):
// each page of a built site opened from file:// in headless Chromium, at a
// given window size, the first screen only (what a reader sees on opening
// it), written as NAME.png. Prints the files written, as JSON, on stdout.
//
// usage: node guide.mjs SITE_DIR OUT_DIR NAME=PAGE@WIDTHxHEIGHT...
import { createRequire } from 'node:module';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');

const [site, out, ...shots] = process.argv.slice(2);
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';

mkdirSync(out, { recursive: true });
// The theme's pinned fonts, as in check.mjs: Chinese shows on a machine
// without Chinese fonts, and every machine draws the same glyphs.
const fonts = resolve(dirname(fileURLToPath(import.meta.url)), '../../themes/default/fonts');
// Written outside OUT_DIR, which holds the pictures alone.
const scratch = mkdtempSync(join(tmpdir(), 'nianbao-guide-'));
const fontsConf = join(scratch, 'fonts.conf');
writeFileSync(fontsConf, `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><include ignore_missing="yes">/etc/fonts/fonts.conf</include><dir>${fonts}</dir></fontconfig>
`);
const browser = await chromium.launch({
  executablePath,
  args: ['--no-sandbox', '--disable-gpu', '--font-render-hinting=none'],
  env: { ...process.env, FONTCONFIG_FILE: fontsConf },
});
const written = [];
try {
  for (const shot of shots) {
    const m = /^([a-z0-9-]+)=(.+)@(\d+)x(\d+)$/.exec(shot);
    if (!m) throw new Error(`not NAME=PAGE@WIDTHxHEIGHT: ${shot}`);
    const [, name, path, width, height] = m;
    const context = await browser.newContext({
      viewport: { width: Number(width), height: Number(height) },
      deviceScaleFactor: 1,
    });
    const page = await context.newPage();
    await page.goto(pathToFileURL(resolve(site, path)).href, { waitUntil: 'load' });
    const file = join(out, `${name}.png`);
    await page.screenshot({ path: file, animations: 'disabled', caret: 'hide' });
    written.push(file);
    await context.close();
  }
} finally {
  await browser.close();
  rmSync(scratch, { recursive: true, force: true });
}
process.stdout.write(JSON.stringify(written) + '\n');
