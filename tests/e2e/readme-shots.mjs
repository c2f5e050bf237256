// The README's map screenshot: the Charts view's map of a store, at docs/screenshots/map.png.
// DYAD_URL=http://127.0.0.1:PORT node tests/e2e/readme-shots.mjs OUT.png (a `dyad serve` running).
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const BASE = process.env.DYAD_URL;
const out = process.argv[2];
if (!BASE || !out) {
  console.error('usage: DYAD_URL=http://127.0.0.1:PORT node readme-shots.mjs OUT.png');
  process.exit(2);
}
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dyad-shots-'));
const context = await chromium.launchPersistentContext(dir, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
  viewport: { width: 1400, height: 900 },
});
try {
  const page = context.pages()[0] || await context.newPage();
  await page.goto(BASE + '/#/charts');
  await page.waitForSelector('[data-testid="map-point"]');
  const map = page.locator('[data-testid="map-svg"]').locator('xpath=..');
  await map.screenshot({ path: out });
} finally {
  await context.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
