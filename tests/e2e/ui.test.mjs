// End-to-end tests of dyad's web UI in headless Chromium (Debian's /usr/bin/chromium),
// driven by playwright-core. Run through run.sh, which starts `dyad serve` on a fresh store
// built from examples/ and fixtures/xss.jsonl and sets DYAD_URL.
//
//   DYAD_URL=http://127.0.0.1:18080 SCREENSHOT_DIR=target/e2e-screenshots node tests/e2e/ui.test.mjs
//
// The expected values come from the JSON API itself, so the tests check that the UI shows
// exactly what the server says.

import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const BASE = (process.env.DYAD_URL || 'http://127.0.0.1:18080').replace(/\/$/, '');
const SHOTS = process.env.SCREENSHOT_DIR || path.resolve('target/e2e-screenshots');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const XSS_URL = 'https://xss.example/1';

let context;
let page;
let userDataDir;
const dialogs = [];
const pageErrors = [];
const consoleErrors = [];

async function api(p, init) {
  const res = await fetch(BASE + p, init);
  const body = await res.json();
  return { status: res.status, body };
}

async function apiOk(p, init) {
  const { status, body } = await api(p, init);
  assert.equal(status, 200, `${p} -> ${status} ${JSON.stringify(body)}`);
  return body;
}

function byteSlice(text, start, end) {
  return Buffer.from(text, 'utf8').subarray(start, end).toString('utf8');
}

async function shot(name) {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, name + '.png'), fullPage: true });
}

// Navigates to a hash route and waits until the view has loaded (aria-busy removed).
async function go(hash, view) {
  if (!page.url().startsWith(BASE + '/')) await page.goto(BASE + '/' + hash);
  else await page.evaluate((h) => { location.hash = h; }, hash);
  if (view) {
    await page.waitForSelector(`[data-testid="view-${view}"]:not([hidden]):not([aria-busy])`);
  }
}

async function rowsData() {
  return page.$$eval('[data-testid="event-row"]', (rows) => rows.map((r) => ({
    id: Number(r.getAttribute('data-event')),
    date: r.querySelector('[data-testid="cell-date"]').textContent,
    source: r.querySelector('[data-testid="cell-source"]').getAttribute('data-code') || '',
    target: r.querySelector('[data-testid="cell-target"]').getAttribute('data-code') || '',
    code: r.querySelector('[data-testid="cell-code"]').textContent,
    quad: r.querySelector('td.quad').textContent.trim(),
  })));
}

// Waits for the events view to have loaded exactly the given API query string.
async function waitEvents(query) {
  await page.waitForFunction((q) => {
    const v = document.querySelector('[data-testid="view-events"]');
    return v && !v.hidden && !v.hasAttribute('aria-busy') && v.getAttribute('data-loaded') === q;
  }, query);
}

// Submits the code box and waits for the answer (success or error) to be shown.
async function submitCode(text, date) {
  await page.fill('[data-testid="code-text"]', text);
  await page.fill('[data-testid="code-date"]', date || '');
  const runs = Number(await page.getAttribute('[data-testid="view-code"]', 'data-runs') || 0);
  await page.click('[data-testid="code-submit"]');
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid="view-code"]').getAttribute('data-runs') || 0) > n, runs);
}

before(async () => {
  userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dyad-e2e-chromium-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1400, height: 900 },
  });
  page = context.pages()[0] || await context.newPage();
  page.setDefaultTimeout(10000);
  page.on('dialog', async (d) => { dialogs.push(d.message()); await d.dismiss(); });
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  // Every request must go to the dyad server: nothing from other origins.
  await context.route('**/*', (route) => {
    const u = route.request().url();
    if (u.startsWith(BASE + '/') || u === BASE) return route.continue();
    consoleErrors.push('request to another origin: ' + u);
    return route.abort();
  });
});

after(async () => {
  if (context) await context.close();
  if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
});

afterEach(() => {
  // No alert() ever, no uncaught exception, no console error (a CSP violation logs one).
  // The lists are emptied so that a failure is reported by the test that caused it.
  const fired = dialogs.splice(0);
  const errors = pageErrors.splice(0);
  // 4xx responses that a test provoked on purpose log "Failed to load resource"; anything else fails.
  const unexpected = consoleErrors.splice(0).filter((m) => !/status of 40[04]/.test(m));
  assert.deepEqual(fired, [], 'a dialog fired');
  assert.deepEqual(errors, [], 'uncaught page errors');
  assert.deepEqual(unexpected, [], 'console errors');
});

test('page loads with tabs, status line and the events view by default', async () => {
  const health = await apiOk('/healthz');
  assert.equal(health.status, 'ok');
  await page.goto(BASE + '/');
  await page.waitForSelector('[data-testid="view-events"]:not([hidden]):not([aria-busy])');
  assert.equal(new URL(page.url()).hash, '#/events');
  for (const t of ['tab-events', 'tab-charts', 'tab-code']) {
    assert.ok(await page.isVisible(`[data-testid="${t}"]`), t);
  }
  await page.waitForFunction(() => document.querySelector('[data-testid="status"]').textContent.length > 0);
  const status = await page.textContent('[data-testid="status"]');
  assert.match(status, new RegExp(`^${health.documents} documents, ${health.events} events`));
  assert.equal(await page.isVisible('[data-testid="message"]'), false);
});

test('events table shows the API total, rows and page count', async () => {
  const data = await apiOk('/api/events?page=1&per_page=50&sort=id&order=asc');
  assert.ok(data.total > 0, 'the store has events');
  await go('#/events', 'events');
  const rows = await rowsData();
  assert.ok(rows.length > 0);
  assert.equal(rows.length, Math.min(data.total, 50));
  assert.deepEqual(rows.map((r) => r.id), data.events.map((e) => e.id));
  assert.equal(await page.textContent('[data-testid="total"]'), `${data.total} events in total`);
  assert.equal(await page.textContent('[data-testid="page-info"]'), `Page 1 of ${Math.ceil(data.total / 50)}`);
  // every cell of the first row matches the API
  const first = data.events[0];
  assert.equal(rows[0].code, first.code);
  assert.equal(rows[0].source, first.source.code);
  assert.equal(rows[0].date, first.date || '—');
  await shot('events-table');
});

test('paging: per page, next, prev and the page count', async () => {
  const total = (await apiOk('/api/events?per_page=10')).total;
  const pages = Math.ceil(total / 10);
  assert.ok(pages >= 2, 'enough events for two pages of 10');
  await go('#/events', 'events');
  await page.selectOption('[data-testid="per-page"]', '10');
  await waitEvents('page=1&per_page=10&sort=id&order=asc');
  assert.equal((await rowsData()).length, 10);
  assert.equal(await page.textContent('[data-testid="page-info"]'), `Page 1 of ${pages}`);
  assert.equal(await page.isDisabled('[data-testid="page-prev"]'), true);
  await page.click('[data-testid="page-next"]');
  await waitEvents('page=2&per_page=10&sort=id&order=asc');
  const api2 = await apiOk('/api/events?page=2&per_page=10&sort=id&order=asc');
  assert.deepEqual((await rowsData()).map((r) => r.id), api2.events.map((e) => e.id));
  assert.equal(await page.textContent('[data-testid="page-info"]'), `Page 2 of ${pages}`);
  // go to the last page through the hash (deep link), next is disabled there
  await go(`#/events?page=${pages}&per_page=10`, 'events');
  await waitEvents(`page=${pages}&per_page=10&sort=id&order=asc`);
  assert.equal((await rowsData()).length, total - 10 * (pages - 1));
  assert.equal(await page.isDisabled('[data-testid="page-next"]'), true);
  await page.click('[data-testid="page-prev"]');
  await waitEvents(`page=${pages - 1}&per_page=10&sort=id&order=asc`);
  assert.equal(await page.textContent('[data-testid="page-info"]'), `Page ${pages - 1} of ${pages}`);
});

test('sorting by date and by id', async () => {
  await go('#/events', 'events');
  await page.click('[data-testid="sort-date"]');
  await waitEvents('page=1&per_page=50&sort=date&order=asc');
  let rows = await rowsData();
  const expectAsc = await apiOk('/api/events?page=1&per_page=50&sort=date&order=asc');
  assert.deepEqual(rows.map((r) => r.id), expectAsc.events.map((e) => e.id));
  const dates = rows.map((r) => r.date).filter((d) => d !== '—');
  assert.deepEqual(dates, [...dates].sort());
  assert.equal(await page.getAttribute('th:has([data-testid="sort-date"])', 'aria-sort'), 'ascending');
  await page.click('[data-testid="sort-date"]');
  await waitEvents('page=1&per_page=50&sort=date&order=desc');
  rows = await rowsData();
  const ddates = rows.map((r) => r.date).filter((d) => d !== '—');
  assert.deepEqual(ddates, [...ddates].sort().reverse());
  assert.ok(ddates[0] > ddates[ddates.length - 1], 'several dates');
  await page.click('[data-testid="sort-id"]');
  await waitEvents('page=1&per_page=50&sort=id&order=asc');
  await page.click('[data-testid="sort-id"]');
  await waitEvents('page=1&per_page=50&sort=id&order=desc');
  rows = await rowsData();
  const ids = rows.map((r) => r.id);
  assert.deepEqual(ids, [...ids].sort((a, b) => b - a));
});

test('filters: source RUS*, quad class, code prefix, dates, words', async () => {
  const rus = await apiOk('/api/events?source=' + encodeURIComponent('RUS*') + '&per_page=50');
  assert.ok(rus.total > 0, 'the XSS fixture gives Russian sources');
  await go('#/events', 'events');
  await page.fill('[data-testid="f-source"]', 'RUS*');
  await page.click('[data-testid="f-apply"]');
  await waitEvents('source=RUS*&page=1&per_page=50&sort=id&order=asc');
  let rows = await rowsData();
  assert.equal(rows.length, rus.total);
  assert.ok(rows.every((r) => r.source.startsWith('RUS')), JSON.stringify(rows));
  assert.equal(await page.textContent('[data-testid="total"]'), `${rus.total} event${rus.total === 1 ? '' : 's'} in total`);
  assert.match(new URL(page.url()).hash, /source=RUS\*/);
  // the Charts tab carries the filters
  assert.equal(await page.getAttribute('[data-testid="tab-charts"]', 'href'), '#/charts?source=RUS*');

  // quad class 3 on top of a reset
  await page.click('[data-testid="f-reset"]');
  await waitEvents('page=1&per_page=50&sort=id&order=asc');
  await page.selectOption('[data-testid="f-quad"]', '3');
  await page.click('[data-testid="f-apply"]');
  await waitEvents('quad=3&page=1&per_page=50&sort=id&order=asc');
  rows = await rowsData();
  const q3 = await apiOk('/api/events?quad=3&per_page=50');
  assert.ok(rows.length > 0);
  assert.equal(rows.length, q3.total);
  assert.ok(rows.every((r) => r.quad === '3'));

  // code prefix 11* and a date range
  await page.click('[data-testid="f-reset"]');
  await waitEvents('page=1&per_page=50&sort=id&order=asc');
  await page.fill('[data-testid="f-code"]', '11*');
  await page.fill('[data-testid="f-from"]', '2024-01-01');
  await page.fill('[data-testid="f-to"]', '2024-12-31');
  await page.click('[data-testid="f-apply"]');
  await waitEvents('from=2024-01-01&to=2024-12-31&code=11*&page=1&per_page=50&sort=id&order=asc');
  rows = await rowsData();
  const c11 = await apiOk('/api/events?from=2024-01-01&to=2024-12-31&code=' + encodeURIComponent('11*'));
  assert.ok(rows.length > 0);
  assert.equal(rows.length, c11.total);
  assert.ok(rows.every((r) => r.code.startsWith('11') && r.date >= '2024-01-01' && r.date <= '2024-12-31'), JSON.stringify(rows));

  // words
  await page.click('[data-testid="f-reset"]');
  await waitEvents('page=1&per_page=50&sort=id&order=asc');
  await page.fill('[data-testid="f-words"]', 'sanctions');
  await page.click('[data-testid="f-apply"]');
  await waitEvents('words=sanctions&page=1&per_page=50&sort=id&order=asc');
  const w = await apiOk('/api/events?words=sanctions');
  rows = await rowsData();
  assert.ok(rows.length > 0);
  assert.deepEqual(rows.map((r) => r.id), w.events.map((e) => e.id));

  // a filter that matches nothing shows the empty note
  await go('#/events?source=ZZZ', 'events');
  await waitEvents('source=ZZZ&page=1&per_page=50&sort=id&order=asc');
  assert.equal((await rowsData()).length, 0);
  assert.ok(await page.isVisible('[data-testid="events-empty"]'));
});

test('API errors are shown in the message area', async () => {
  const bad = await api('/api/events?from=notadate');
  assert.equal(bad.status, 400);
  assert.ok(bad.body.error.length > 0);
  await go('#/events?from=notadate');
  await page.waitForSelector('[data-testid="message"]:not([hidden])');
  const msg = await page.textContent('[data-testid="message-text"]');
  assert.ok(msg.includes(bad.body.error), `${msg} should include ${bad.body.error}`);
  assert.match(msg, /400/);
  await shot('error-message');
  // a later successful navigation clears it
  await go('#/events', 'events');
  assert.equal(await page.isVisible('[data-testid="message"]'), false);
  // unknown document: 404 from the API
  const missing = await api('/api/documents/999999');
  assert.equal(missing.status, 404);
  await go('#/documents/999999');
  await page.waitForSelector('[data-testid="message"]:not([hidden])');
  assert.ok((await page.textContent('[data-testid="message-text"]')).includes(missing.body.error));
});

test('map: the points are the places the API gives, and a point lists its events', async () => {
  const pl = await apiOk('/api/stats/places?limit=200');
  assert.ok(pl.places.length > 0, 'the example news has placed events');
  await go('#/charts', 'charts');
  await page.waitForSelector('[data-testid="map-svg"]');
  const land = await page.getAttribute('[data-testid="map-land"]', 'd');
  assert.ok(land && land.length > 10000, 'country outlines are drawn from the served asset');
  const points = await page.$$eval('[data-testid="map-point"]', (ps) => ps.map((p) => ({
    feature: p.getAttribute('data-feature'), events: Number(p.getAttribute('data-events')),
    quad: Number(p.getAttribute('data-quad')), cx: Number(p.getAttribute('cx')), cy: Number(p.getAttribute('cy')),
    colour: getComputedStyle(p).fill,
  })));
  const key = (x) => `${x.feature}/${x.events}`;
  assert.deepEqual(points.map(key).sort(), pl.places.map((p) => `${p.feature_id}/${p.events}`).sort());
  for (const p of pl.places) {
    const pt = points.find((x) => x.feature === p.feature_id);
    assert.ok(Math.abs(pt.cx - p.lon) < 1e-3 && Math.abs(pt.cy + p.lat) < 1e-3, `${p.name} at its coordinates`);
    assert.equal(pt.quad, p.by_quad.indexOf(Math.max(...p.by_quad)) + 1, `${p.name}: colour of its main quad class`);
  }
  // Four quad classes, four colours.
  const colours = new Map(points.map((p) => [p.quad, p.colour]));
  assert.equal(new Set(colours.values()).size, colours.size);
  await shot('charts-map');
  // A city's point lists the events placed near it.
  const city = pl.places.find((p) => p.geo_type !== 1);
  await page.locator(`[data-testid="map-point"][data-feature="${city.feature_id}"]`).dispatchEvent('click');
  await page.waitForSelector('[data-testid="view-events"]:not([hidden]):not([aria-busy])');
  const near = `${city.lat.toFixed(4)},${city.lon.toFixed(4)},25`;
  const want = await apiOk('/api/events?near=' + encodeURIComponent(near));
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="event-row"]').length === n, want.total);
  assert.ok(want.total >= city.events);
  // Leave the filters as the next tests expect them: none.
  await go('#/events', 'events');
  await waitEvents('page=1&per_page=50&sort=id&order=asc');
});

test('charts: timeline by quad class and the dyad network', async () => {
  const tl = await apiOk('/api/stats/timeline?by=day');
  const dy = await apiOk('/api/stats/dyads?limit=50');
  assert.ok(tl.rows.length > 0 && dy.nodes.length > 0 && dy.edges.length > 0);
  await page.click('[data-testid="tab-charts"]');
  await page.waitForSelector('[data-testid="view-charts"]:not([hidden]):not([aria-busy]) [data-testid="timeline-svg"]');
  const legend = await page.textContent('[data-testid="timeline-legend"]');
  for (const l of ['1 Verbal cooperation', '2 Material cooperation', '3 Verbal conflict', '4 Material conflict']) {
    assert.ok(legend.includes(l), l);
  }
  const bars = await page.$$eval('[data-testid="timeline-bar"]', (bs) => bs.map((b) => ({
    period: b.getAttribute('data-period'), quad: Number(b.getAttribute('data-quad')),
    events: Number(b.getAttribute('data-events')), h: Number(b.getAttribute('height')),
  })));
  const expected = tl.rows.filter((r) => r.period).map((r) => ({ period: r.period, quad: r.quad_class, events: r.events }));
  const key = (x) => `${x.period}/${x.quad}/${x.events}`;
  assert.deepEqual(bars.map(key).sort(), expected.map(key).sort());
  assert.ok(bars.every((b) => b.h > 0));
  // taller bars for more events (same scale everywhere)
  const big = bars.reduce((a, b) => (b.events > a.events ? b : a));
  const small = bars.reduce((a, b) => (b.events < a.events ? b : a));
  if (big.events > small.events) assert.ok(big.h > small.h);

  const nodes = await page.$$eval('[data-testid="network-node"]', (ns) => ns.map((n) => ({
    id: n.getAttribute('data-id'), transform: n.getAttribute('transform'),
    label: document.querySelector(`[data-testid="network-label"][data-id="${CSS.escape(n.getAttribute('data-id'))}"]`).textContent,
  })));
  assert.deepEqual(nodes.map((n) => n.id).sort(), dy.nodes.map((n) => n.id).sort());
  assert.ok(nodes.every((n) => n.label === n.id));
  const edges = await page.$$eval('[data-testid="network-edge"]', (es) => es.map((e) => ({
    s: e.getAttribute('data-source'), t: e.getAttribute('data-target'), marker: e.getAttribute('marker-end'),
  })));
  assert.equal(edges.length, dy.edges.length);
  assert.ok(edges.every((e) => /^url\(#arrow-/.test(e.marker)), 'arrow heads give the direction');
  assert.deepEqual(edges.map((e) => `${e.s}>${e.t}`).sort(), dy.edges.map((e) => `${e.source}>${e.target}`).sort());
  await shot('charts-timeline-network');

  // deterministic layout: a reload gives the same positions
  await page.reload();
  await page.waitForSelector('[data-testid="view-charts"]:not([hidden]):not([aria-busy]) [data-testid="network-svg"]');
  const again = await page.$$eval('[data-testid="network-node"]', (ns) => ns.map((n) => ({
    id: n.getAttribute('data-id'), transform: n.getAttribute('transform'),
  })));
  assert.deepEqual(again, nodes.map(({ id, transform }) => ({ id, transform })));

  // by month, with a filter
  await go('#/charts?quad=3&by=month', 'charts');
  await page.waitForSelector('[data-testid="timeline-svg"]');
  const tlm = await apiOk('/api/stats/timeline?quad=3&by=month');
  const mbars = await page.$$eval('[data-testid="timeline-bar"]', (bs) => bs.map((b) => [b.getAttribute('data-period'), Number(b.getAttribute('data-quad'))]));
  assert.equal(mbars.length, tlm.rows.length);
  assert.ok(mbars.every(([p, q]) => /^\d{4}-\d{2}$/.test(p) && q === 3));

  // clicking an edge lists the events of that dyad
  await go('#/charts', 'charts');
  await page.waitForSelector('[data-testid="network-edge"]');
  const e0 = dy.edges[0];
  // click on the middle of the curve, as a user would
  const edgeSel = `[data-testid="network-edge"][data-source="${e0.source}"][data-target="${e0.target}"]`;
  await page.locator(edgeSel).scrollIntoViewIfNeeded();
  const mid = await page.$eval(edgeSel, (p) => {
    const pt = p.getPointAtLength(p.getTotalLength() / 2);
    const m = p.getScreenCTM();
    return { x: pt.x * m.a + pt.y * m.c + m.e, y: pt.x * m.b + pt.y * m.d + m.f };
  });
  await page.mouse.click(mid.x, mid.y);
  await waitEvents(`source=${e0.source}&target=${e0.target}&page=1&per_page=50&sort=id&order=asc`);
  const rows = await rowsData();
  assert.equal(rows.length, e0.events);
  assert.ok(rows.every((r) => r.source === e0.source && r.target === e0.target));
});

// Opens the document view of a mention and checks the highlights and the explanation.
async function checkMention(doc, m) {
  await go(`#/documents/${doc.doc}?event=${m.event}&mention=${m.mention_id}`, 'document');
  await page.waitForSelector(`[data-testid="explanation"][data-mention="${m.mention_id}"]`);
  const selText = (role) => page.$$eval(`[data-testid="doc-text"] .sel-${role}`, (els) => els.map((e) => e.textContent).join(''));
  assert.equal(await selText('source'), m.source.text, `source of mention ${m.mention_id}`);
  assert.equal(await selText('source'), byteSlice(doc.text, m.source.start, m.source.end));
  assert.equal(await selText('verb'), byteSlice(doc.text, m.verb.start, m.verb.end), `verb of mention ${m.mention_id}`);
  if (m.target) {
    assert.equal(await selText('target'), m.target.text, `target of mention ${m.mention_id}`);
  } else {
    assert.equal(await selText('target'), '');
  }
  const ex = '[data-testid="explanation"]';
  assert.equal(await page.textContent(`${ex} [data-testid="expl-code"]`), m.code);
  assert.equal(await page.textContent(`${ex} [data-testid="expl-label"]`), m.label);
  assert.equal(await page.textContent(`${ex} [data-testid="expl-pattern-id"]`), m.verb.pattern_id);
  assert.equal(await page.textContent(`${ex} [data-testid="expl-pattern"]`), m.verb.pattern);
  if (m.source.code) {
    assert.equal(await page.textContent(`${ex} [data-testid="expl-source"] [data-testid="actor-entry"]`), m.source.entry);
  } else {
    assert.ok((await page.textContent(`${ex} [data-testid="expl-source"]`)).startsWith('none'));
  }
  if (m.target && m.target.code) {
    assert.equal(await page.textContent(`${ex} [data-testid="expl-target"] [data-testid="actor-entry"]`), m.target.entry);
  }
  assert.equal(await page.textContent(`${ex} [data-testid="expl-sentence"]`), m.sentence.text);
  assert.equal(await page.textContent(`${ex} [data-testid="expl-negated"]`), m.negated ? 'yes: reported as not happening' : 'no');
  assert.equal(await page.textContent(`${ex} [data-testid="expl-modality"]`), m.modality || 'none');
  const att = await page.$$eval(`${ex} [data-testid="expl-attribution-item"]`, (els) => els.map((e) => e.textContent));
  assert.equal(att.length, (m.attribution || []).length);
  (m.attribution || []).forEach((a, i) => assert.ok(att[i].includes(a.name || a.text), att[i]));
  if (m.attribution && m.attribution.length) assert.match(att[0], /^according to /);
  // Where it happened, and where its actors are: the API's places, with their gazetteer lines.
  const place = await page.textContent(`${ex} [data-testid="expl-place"]`);
  if (m.place) {
    assert.ok(place.includes(m.place.name) && place.includes(m.place.entry), place);
  } else {
    assert.equal(place, 'not given by the text');
  }
  const actorPlaces = await page.$$eval(`${ex} [data-testid="actor-place"]`, (els) => els.map((e) => e.textContent));
  const want = [m.source, m.target].filter((a) => a && a.code && a.place).map((a) => a.place.name);
  assert.equal(actorPlaces.length, want.length);
  want.forEach((name, i) => assert.ok(actorPlaces[i].includes(name), actorPlaces[i]));
}

test('document view: highlights at the right UTF-8 offsets and the explanation of every mention', async () => {
  const health = await apiOk('/healthz');
  let checked = 0;
  let nonAscii = 0;
  let placed = 0;
  for (let d = 1; d <= health.documents; d++) {
    const doc = await apiOk('/api/documents/' + d);
    for (const m of doc.mentions) {
      await checkMention(doc, m);
      checked++;
      if (m.place) placed++;
      if (/[^\x00-\x7f]/.test(byteSlice(doc.text, 0, m.verb.start))) nonAscii++;
    }
    // the whole text is shown unchanged
    if (doc.mentions.length) {
      assert.equal(await page.textContent('[data-testid="doc-text"]'), doc.text);
      assert.equal(await page.textContent('[data-testid="doc-title"]'), doc.title || doc.id);
      const listed = await page.$$eval('[data-testid="doc-mention-row"]', (rs) => rs.map((r) => Number(r.getAttribute('data-mention'))));
      assert.deepEqual(listed.sort((a, b) => a - b), doc.mentions.map((m) => m.mention_id).sort((a, b) => a - b));
    }
  }
  assert.ok(checked >= 10, `checked ${checked} mentions`);
  assert.ok(placed > 0, 'some mentions have a place');
  assert.ok(nonAscii > 0, 'some mentions come after non-ASCII characters (— “ ’)');
});

test('document view: opened from an event row, explanation with attribution, click to switch', async () => {
  // an event with an attribution chain ("according to ...")
  const all = await apiOk('/api/events?per_page=200&include_negated=true');
  let chosen = null;
  for (const ev of all.events) {
    const detail = await apiOk('/api/events/' + ev.id);
    const m = detail.mentions.find((mm) => mm.attribution && mm.attribution.length && mm.target);
    if (m) { chosen = { ev, m }; break; }
  }
  assert.ok(chosen, 'an event with a target and an attribution');
  await go('#/events?per_page=200&include_negated=true', 'events');
  await page.click(`[data-testid="event-row"][data-event="${chosen.ev.id}"] td.sentence`);
  await page.waitForSelector(`[data-testid="view-document"]:not([hidden]) [data-testid="explanation"][data-event="${chosen.ev.id}"]`);
  assert.match(new URL(page.url()).hash, new RegExp(`^#/documents/${chosen.ev.doc}\\?event=${chosen.ev.id}`));
  const doc = await apiOk('/api/documents/' + chosen.ev.doc);
  const m = doc.mentions.find((mm) => mm.event === chosen.ev.id);
  await checkMention(doc, m);
  await page.waitForSelector('[data-testid="expl-event-summary"]');
  const legend = await page.textContent('[data-testid="doc-legend"]');
  assert.ok(legend.includes('source') && legend.includes('verb') && legend.includes('target'));
  // three distinct highlight colours
  const colours = await page.evaluate(() => ['source', 'verb', 'target'].map((r) => {
    const s = document.querySelector(`[data-testid="doc-legend"] .swatch.hl-${r}`);
    return getComputedStyle(s).backgroundColor;
  }));
  assert.equal(new Set(colours).size, 3, JSON.stringify(colours));
  await shot('document-explanation');

  // clicking another event in the list explains that one
  const other = doc.mentions.find((mm) => mm.mention_id !== m.mention_id);
  if (other) {
    await page.click(`[data-testid="doc-mention-row"][data-mention="${other.mention_id}"] td:nth-child(4)`);
    await page.waitForSelector(`[data-testid="explanation"][data-mention="${other.mention_id}"]`);
    assert.equal(await page.textContent('[data-testid="expl-code"]'), other.code);
    // clicking a highlight selects an event it belongs to
    await page.click(`[data-testid="hl"][data-keys~="${m.mention_id}"]:not(.sel)`);
    await page.waitForFunction((prev) => {
      const v = document.querySelector('[data-testid="explanation"]').getAttribute('data-mention');
      return v && v !== prev;
    }, String(other.mention_id));
    const now = await page.getAttribute('[data-testid="explanation"]', 'data-mention');
    const keys = await page.$$eval('[data-testid="hl"].sel', (els) => els.map((e) => e.getAttribute('data-keys')));
    assert.ok(keys.length > 0 && keys.every((k) => k.split(' ').includes(now)));
  }
  // back link returns to the list
  await page.click('[data-testid="doc-back"]');
  await page.waitForSelector('[data-testid="view-events"]:not([hidden]):not([aria-busy])');
});

test('XSS: article text, title, names and sentences are shown as text, never run', async () => {
  const list = await apiOk('/api/events?url=' + encodeURIComponent(XSS_URL) + '&per_page=50');
  assert.ok(list.total > 0, 'the XSS fixture has events');
  const docId = list.events[0].doc;
  const doc = await apiOk('/api/documents/' + docId);
  assert.ok(doc.text.includes('<script>alert(1)</script>'));
  await go(`#/documents/${docId}?event=${list.events[0].id}`, 'document');
  await page.waitForSelector(`[data-testid="explanation"][data-event="${list.events[0].id}"]`);
  const text = await page.textContent('[data-testid="doc-text"]');
  assert.ok(text.includes('<script>alert(1)</script>'), 'script tag shown as text');
  assert.ok(text.includes('<img src=x onerror=alert(2)>'), 'img tag shown as text');
  assert.equal(text, doc.text);
  // visible to a reader, not just present in the DOM
  assert.ok((await page.innerText('[data-testid="doc-text"]')).includes('<script>alert(1)</script>'));
  const title = await page.textContent('[data-testid="doc-title"]');
  assert.equal(title, doc.title);
  assert.ok(title.includes('<b>bold?</b>'));
  assert.equal(await page.$$eval('[data-testid="doc-title"] b', (bs) => bs.length), 0);
  const dom = await page.evaluate(() => ({
    imgs: document.querySelectorAll('img').length,
    onerror: document.querySelectorAll('[onerror]').length,
    scripts: [...document.querySelectorAll('script')].map((s) => s.getAttribute('src')),
    bolds: document.querySelectorAll('main b:not([data-testid="actor-code"])').length,
    italics: document.querySelectorAll('i').length,
  }));
  assert.equal(dom.imgs, 0);
  assert.equal(dom.onerror, 0);
  assert.deepEqual(dom.scripts, ['/assets/app.js']);
  assert.equal(dom.italics, 0, 'the source name <i>Wire</i> stays text');
  await shot('xss-document');

  // the events table with the same sentences
  await go('#/events?url=' + encodeURIComponent(XSS_URL), 'events');
  await page.waitForSelector('[data-testid="event-row"]');
  const sentences = await page.$$eval('[data-testid="event-row"] td.sentence', (ts) => ts.map((t) => t.textContent));
  assert.ok(sentences.some((s) => s.includes('<script>alert(1)</script>') || s.includes('<img src=x onerror=alert(2)>')));
  // the code box with the same payload
  await go('#/code', 'code');
  await submitCode(doc.text);
  await page.click('[data-testid="code-row"]');
  await page.waitForSelector('[data-testid="code-explanation"] [data-testid="expl-sentence"]');
  const codeDoc = await page.textContent('[data-testid="code-doc"]');
  assert.ok(codeDoc.includes('<img src=x onerror=alert(2)>'));
  const after = await page.evaluate(() => document.querySelectorAll('img, [onerror]').length);
  assert.equal(after, 0);
  await page.waitForTimeout(300); // give any injected handler a chance to fire
  assert.deepEqual(dialogs, []);
});

test('code this text: POST /api/code shows the events, highlights and explanation', async () => {
  const sentence = 'Bayramov accused Armenia of delaying the process.';
  const expected = await apiOk('/api/code', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ text: sentence, date: '2024-03-05' }),
  });
  assert.ok(expected.events.some((e) => e.code === '112'), JSON.stringify(expected));
  await go('#/code', 'code');
  await submitCode(sentence, '2024-03-05');
  const rows = await page.$$eval('[data-testid="code-row"]', (rs) => rs.map((r) => ({
    code: r.querySelector('[data-testid="code-cell-code"]').textContent,
    source: r.querySelector('[data-testid="code-cell-source"] b') ? r.querySelector('[data-testid="code-cell-source"] b').textContent : '',
    date: r.querySelector('td.date').textContent,
  })));
  assert.equal(rows.length, expected.events.length);
  assert.ok(rows.some((r) => r.code === '112'), JSON.stringify(rows));
  assert.deepEqual(rows.map((r) => r.code), expected.events.map((e) => e.code));
  assert.deepEqual(rows.map((r) => r.source), expected.events.map((e) => e.source.code));
  assert.ok(rows.every((r) => r.date === '2024-03-05'));
  assert.equal(await page.textContent('[data-testid="code-info"]'), `${expected.events.length} event${expected.events.length === 1 ? '' : 's'} found`);
  const i = expected.events.findIndex((e) => e.code === '112');
  await page.click(`[data-testid="code-row"][data-key="${i}"]`);
  await page.waitForSelector('[data-testid="code-explanation"] [data-testid="expl-code"]');
  const ex = '[data-testid="code-explanation"]';
  assert.equal(await page.textContent(`${ex} [data-testid="expl-code"]`), '112');
  assert.equal(await page.textContent(`${ex} [data-testid="expl-pattern"]`), expected.events[i].verb.pattern);
  assert.equal(await page.textContent(`${ex} [data-testid="expl-source"] [data-testid="actor-entry"]`), expected.events[i].source.entry);
  const src = await page.$$eval('[data-testid="code-doc"] .sel-source', (els) => els.map((e) => e.textContent).join(''));
  assert.equal(src, expected.events[i].source.text);
  const tgt = await page.$$eval('[data-testid="code-doc"] .sel-target', (els) => els.map((e) => e.textContent).join(''));
  assert.equal(tgt, expected.events[i].target.text);
  await shot('code-box-results');

  // non-ASCII before the spans: offsets are bytes
  const text2 = 'GENEVA — “Today,” Russia’s president said. Russia accused Ukraine of shelling the city.';
  await submitCode(text2);
  const ev2 = (await apiOk('/api/code', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ text: text2 }) })).events;
  const j = ev2.findIndex((e) => e.source.text === 'Russia' && e.target);
  assert.ok(j >= 0, JSON.stringify(ev2));
  await page.click(`[data-testid="code-row"][data-key="${j}"]`);
  await page.waitForSelector('[data-testid="code-doc"] .sel-source');
  assert.equal(await page.$$eval('[data-testid="code-doc"] .sel-source', (els) => els.map((e) => e.textContent).join('')), 'Russia');
  assert.equal(await page.$$eval('[data-testid="code-doc"] .sel-target', (els) => els.map((e) => e.textContent).join('')), ev2[j].target.text);

  // an error from the API (empty text) is shown
  const bad = await api('/api/code', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ text: '' }) });
  assert.equal(bad.status, 400);
  await submitCode('');
  assert.ok(await page.isVisible('[data-testid="message"]'));
  assert.ok((await page.textContent('[data-testid="message-text"]')).includes(bad.body.error));
});

test('deep links: reload of a document route and unknown routes', async () => {
  const list = await apiOk('/api/events?per_page=1');
  const ev = list.events[0];
  await page.goto('about:blank');
  await page.goto(`${BASE}/#/documents/${ev.doc}?event=${ev.id}`);
  await page.waitForSelector(`[data-testid="explanation"][data-event="${ev.id}"]`);
  assert.equal(await page.textContent('[data-testid="expl-code"]'), ev.code);
  await page.goto(`${BASE}/#/code`);
  await page.waitForSelector('[data-testid="view-code"]:not([hidden])');
  assert.equal(await page.isVisible('[data-testid="filters"]'), false);
  await page.goto(`${BASE}/#/nowhere`);
  await page.waitForSelector('[data-testid="message"]:not([hidden])');
  assert.match(await page.textContent('[data-testid="message-text"]'), /Unknown page/);
});

// Boxes of the network labels, in page coordinates.
async function labelBoxes() {
  return page.$$eval('[data-testid="network-label"]', (ls) => ls.map((l) => {
    const r = l.getBoundingClientRect();
    return { id: l.getAttribute('data-id'), l: r.left, r: r.right, t: r.top, b: r.bottom };
  }));
}

// Node circles, in page coordinates.
async function circleBoxes() {
  return page.$$eval('[data-testid="network-node"] circle', (cs) => cs.map((c) => {
    const r = c.getBoundingClientRect();
    return { id: c.parentElement.getAttribute('data-id'), l: r.left, r: r.right, t: r.top, b: r.bottom };
  }));
}

// Pairs of labels that overlap, and labels that cover a node (their own included).
async function overlaps() {
  const labels = await labelBoxes();
  const circles = await circleBoxes();
  const hit = (a, b) => a.l < b.r && b.l < a.r && a.t < b.b && b.t < a.b;
  const out = [];
  for (let i = 0; i < labels.length; i++) {
    for (let j = i + 1; j < labels.length; j++) {
      if (hit(labels[i], labels[j])) out.push(`label ${labels[i].id} on label ${labels[j].id}`);
    }
    for (const c of circles) {
      if (hit(labels[i], c)) out.push(`label ${labels[i].id} on node ${c.id}`);
    }
  }
  return out;
}

test('network labels overlap neither each other nor the nodes', async () => {
  await go('#/charts', 'charts');
  await page.waitForSelector('[data-testid="network-label"]');
  assert.ok((await labelBoxes()).length > 1);
  assert.deepEqual(await overlaps(), []);
});

test('a 400 px wide screen: header counts whole, no sideways page scroll, labels apart', async () => {
  await page.setViewportSize({ width: 400, height: 800 });
  try {
    await go('#/events', 'events');
    await page.waitForFunction(() => document.querySelector('[data-testid="status"]').textContent.length > 0);
    const status = await page.$eval('[data-testid="status"]', (s) => {
      const r = s.getBoundingClientRect();
      return { left: r.left, right: r.right, clipped: s.scrollWidth > s.clientWidth };
    });
    assert.ok(status.left >= 0 && status.right <= 400 && !status.clipped, JSON.stringify(status));
    // The page itself does not scroll sideways: a wide table scrolls inside its own box.
    const pageWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(pageWidth <= 400, `page is ${pageWidth} px wide`);
    await shot('narrow-events');
    await go('#/charts', 'charts');
    await page.waitForSelector('[data-testid="network-label"]');
    assert.deepEqual(await overlaps(), []);
    const chartsWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(chartsWidth <= 400, `charts page is ${chartsWidth} px wide`);
    await shot('narrow-charts');
  } finally {
    await page.setViewportSize({ width: 1400, height: 900 });
  }
});
