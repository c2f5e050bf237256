// dyad web UI: plain JavaScript, no framework, no build step, no network beyond this server.
//
// SAFETY RULE: every string that comes from the API (article text, titles, actor names,
// sentences, dictionary entries, patterns, error messages) reaches the DOM only through
// textContent / document.createTextNode / setAttribute of a non-event attribute. There is no
// innerHTML, insertAdjacentHTML or document.write in this file.
'use strict';

(function () {
  // ---------------------------------------------------------------- helpers

  const SVG_NS = 'http://www.w3.org/2000/svg';
  const QUADS = {
    1: 'Verbal cooperation',
    2: 'Material cooperation',
    3: 'Verbal conflict',
    4: 'Material conflict',
  };
  const FILTER_KEYS = ['from', 'to', 'source', 'target', 'country', 'adm1', 'near', 'code', 'root',
    'quad', 'goldstein_min', 'goldstein_max', 'words', 'url', 'include_negated'];
  const SORTABLE = ['id', 'date', 'code', 'goldstein', 'mentions', 'articles'];
  const ROLES = ['source', 'verb', 'target'];

  const byId = (id) => document.getElementById(id);

  // Appends children (nodes, strings, numbers; null/undefined/false are skipped) as nodes.
  function append(node, children) {
    for (const c of children) {
      if (c === null || c === undefined || c === false) continue;
      if (Array.isArray(c)) append(node, c);
      else if (c instanceof Node) node.appendChild(c);
      else node.appendChild(document.createTextNode(String(c)));
    }
    return node;
  }

  function setAttrs(node, attrs) {
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (/^on/i.test(k)) throw new Error('event handler attributes are not allowed: ' + k);
      if (k === 'class') node.setAttribute('class', v);
      else if (k === 'text') node.textContent = String(v);
      else node.setAttribute(k, v === true ? '' : String(v));
    }
    return node;
  }

  // el('td', {class: 'x'}, 'text', childNode) -- text is always a text node.
  function el(tag, attrs, ...children) {
    return append(setAttrs(document.createElement(tag), attrs), children);
  }

  function svg(tag, attrs, ...children) {
    return append(setAttrs(document.createElementNS(SVG_NS, tag), attrs), children);
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  }

  // Only http(s) links from data become hrefs (no javascript: or data: URLs).
  function safeUrl(u) {
    if (typeof u !== 'string') return null;
    try {
      const parsed = new URL(u, location.href);
      return (parsed.protocol === 'http:' || parsed.protocol === 'https:') ? parsed.href : null;
    } catch (e) {
      return null;
    }
  }

  function fmtNum(x, digits) {
    if (x === null || x === undefined || Number.isNaN(Number(x))) return '';
    const n = Number(x);
    return digits === undefined ? String(n) : n.toFixed(digits);
  }

  function actorLabel(a) {
    if (!a || !a.code) return '—';
    return a.name ? `${a.code} ${a.name}` : a.code;
  }

  // ---------------------------------------------------------------- messages

  function showMessage(text, kind) {
    const box = byId('message');
    byId('message-text').textContent = text;
    box.className = 'message ' + (kind || 'error');
    box.setAttribute('data-kind', kind || 'error');
    box.hidden = false;
  }

  function clearMessage() {
    byId('message').hidden = true;
    byId('message-text').textContent = '';
  }

  // ---------------------------------------------------------------- API

  class ApiError extends Error {
    constructor(message, status) {
      super(message);
      this.status = status;
    }
  }

  async function api(path, options) {
    let res;
    try {
      res = await fetch(path, Object.assign({ headers: { Accept: 'application/json' } }, options || {}));
    } catch (e) {
      throw new ApiError('The dyad server cannot be reached (' + e.message + ')', 0);
    }
    const raw = await res.text();
    let body = null;
    try {
      body = raw ? JSON.parse(raw) : null;
    } catch (e) {
      body = null;
    }
    if (!res.ok) {
      const msg = body && typeof body.error === 'string' ? body.error : (raw.slice(0, 200) || res.statusText);
      throw new ApiError(msg, res.status);
    }
    if (body === null) throw new ApiError('The server sent a response that is not JSON', res.status);
    return body;
  }

  function reportError(e) {
    const status = e && e.status ? ` (HTTP ${e.status})` : '';
    showMessage('Error' + status + ': ' + (e && e.message ? e.message : String(e)), 'error');
  }

  // ---------------------------------------------------------------- routing

  // Hash forms: #/events?filters&page=&per_page=&sort=&order=  #/charts?filters&by=
  //             #/code  #/documents/ID?event=EID&mention=MID
  function parseHash() {
    let h = location.hash.replace(/^#/, '');
    if (!h.startsWith('/')) h = '/' + h;
    const qi = h.indexOf('?');
    const path = qi >= 0 ? h.slice(0, qi) : h;
    const params = new URLSearchParams(qi >= 0 ? h.slice(qi + 1) : '');
    const parts = path.split('/').filter(Boolean);
    return { parts, params };
  }

  function buildHash(path, params) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) {
      if (v !== '' && v !== null && v !== undefined) q.set(k, String(v));
    }
    const s = q.toString();
    return '#' + path + (s ? '?' + s : '');
  }

  function filtersFrom(params) {
    const f = {};
    for (const k of FILTER_KEYS) {
      const v = params.get(k);
      if (v !== null && v !== '') f[k] = v;
    }
    return f;
  }

  let navToken = 0;
  let lastListHash = '#/events';
  let lastView = null;
  const VIEW_TITLES = { events: 'Events', charts: 'Charts', code: 'Code text' };

  function route() {
    const token = ++navToken;
    clearMessage();
    const { parts, params } = parseHash();
    const view = parts[0] || 'events';
    if (view === 'events' || view === 'charts') lastListHash = location.hash || '#/events';
    if (view !== lastView) window.scrollTo(0, 0);
    lastView = view;
    document.title = (VIEW_TITLES[view] ? VIEW_TITLES[view] + ' — ' : '') + 'dyad';
    for (const a of document.querySelectorAll('.tabs a')) {
      const active = a.getAttribute('data-tab') === view;
      a.classList.toggle('active', active);
      if (active) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    const filters = filtersFrom(params);
    const isList = view === 'events' || view === 'charts';
    if (isList) {
      // Tabs carry the filters between Events and Charts (kept while a document or the code box is open).
      document.querySelector('[data-tab="events"]').setAttribute('href', buildHash('/events', filters));
      document.querySelector('[data-tab="charts"]').setAttribute('href', buildHash('/charts', filters));
    }
    byId('filters').hidden = !isList;
    for (const s of document.querySelectorAll('.view')) s.hidden = true;
    const show = (id) => { byId(id).hidden = false; };
    if (view === 'events') {
      fillFilterForm(filters);
      show('view-events');
      loadEvents(params, token);
    } else if (view === 'charts') {
      fillFilterForm(filters);
      show('view-charts');
      loadCharts(params, token);
    } else if (view === 'code') {
      show('view-code');
    } else if (view === 'documents' && parts[1]) {
      show('view-document');
      renderExplanation(byId('doc-explanation'), null);
      byId('doc-back').setAttribute('href', lastListHash);
      loadDocument(parts[1], params, token);
    } else {
      showMessage('Unknown page: ' + location.hash, 'error');
    }
  }

  // ---------------------------------------------------------------- filters form

  function fillFilterForm(filters) {
    const form = byId('filters');
    for (const k of FILTER_KEYS) {
      const input = form.elements[k];
      if (!input) continue;
      if (input.type === 'checkbox') input.checked = filters[k] === 'true';
      else input.value = filters[k] || '';
    }
  }

  function readFilterForm() {
    const form = byId('filters');
    const f = {};
    for (const k of FILTER_KEYS) {
      const input = form.elements[k];
      if (!input) continue;
      if (input.type === 'checkbox') {
        if (input.checked) f[k] = 'true';
      } else {
        const v = input.value.trim();
        if (v) f[k] = k === 'words' ? v.split(/\s*,\s*|\s+/).filter(Boolean).join(',') : v;
      }
    }
    return f;
  }

  function currentView() {
    return parseHash().parts[0] === 'charts' ? 'charts' : 'events';
  }

  function onFiltersSubmit(ev) {
    ev.preventDefault();
    const f = readFilterForm();
    const { params } = parseHash();
    if (currentView() === 'events') {
      for (const k of ['per_page', 'sort', 'order']) if (params.get(k)) f[k] = params.get(k);
      location.hash = buildHash('/events', f);
    } else {
      if (params.get('by')) f.by = params.get('by');
      location.hash = buildHash('/charts', f);
    }
  }

  function onFiltersReset() {
    location.hash = '#/' + currentView();
  }

  // ---------------------------------------------------------------- status line

  async function loadStatus() {
    try {
      const h = await api('/healthz');
      byId('status').textContent = `${h.documents} documents, ${h.events} events (schema ${h.schema_version})`;
    } catch (e) {
      byId('status').textContent = 'server not reachable';
    }
  }

  // ---------------------------------------------------------------- events table

  function eventsParams(params) {
    const p = filtersFrom(params);
    p.page = Math.max(1, parseInt(params.get('page') || '1', 10) || 1);
    p.per_page = params.get('per_page') || '50';
    p.sort = SORTABLE.includes(params.get('sort')) ? params.get('sort') : 'id';
    p.order = params.get('order') === 'desc' ? 'desc' : 'asc';
    return p;
  }

  function docHref(docId, eventId, mentionId) {
    const q = {};
    if (eventId !== undefined && eventId !== null) q.event = eventId;
    if (mentionId !== undefined && mentionId !== null) q.mention = mentionId;
    return buildHash('/documents/' + encodeURIComponent(docId), q);
  }

  function quadCell(q) {
    return el('td', { class: 'quad', title: QUADS[q] || '' },
      el('span', { class: 'swatch q' + q }), String(q));
  }

  function actorCell(a) {
    if (!a || !a.code) return el('td', { class: 'actor muted' }, '—');
    return el('td', { class: 'actor' }, el('b', {}, a.code), a.name ? el('div', { class: 'small' }, a.name) : null);
  }

  async function loadEvents(params, token) {
    const p = eventsParams(params);
    const qs = new URLSearchParams(Object.entries(p).map(([k, v]) => [k, String(v)]));
    const body = byId('events-body');
    // Sort indicators and per-page select reflect the state even while loading.
    for (const b of document.querySelectorAll('button.sort')) {
      const k = b.getAttribute('data-sort');
      const th = b.parentElement;
      b.classList.toggle('asc', k === p.sort && p.order === 'asc');
      b.classList.toggle('desc', k === p.sort && p.order === 'desc');
      if (k === p.sort) th.setAttribute('aria-sort', p.order === 'asc' ? 'ascending' : 'descending');
      else th.removeAttribute('aria-sort');
    }
    const perSel = byId('per-page');
    if (![...perSel.options].some((o) => o.value === String(p.per_page))) {
      perSel.appendChild(el('option', {}, String(p.per_page)));
    }
    perSel.value = String(p.per_page);
    byId('view-events').setAttribute('aria-busy', 'true');
    let data;
    try {
      data = await api('/api/events?' + qs.toString());
    } catch (e) {
      if (token !== navToken) return;
      clear(body);
      byId('page-info').textContent = '';
      byId('total-info').textContent = '';
      byId('events-empty').hidden = true;
      byId('view-events').removeAttribute('aria-busy');
      reportError(e);
      return;
    }
    if (token !== navToken) return;
    clear(body);
    for (const ev of data.events) {
      const href = docHref(ev.doc, ev.id);
      const tr = el('tr', {
        'data-testid': 'event-row', 'data-event': ev.id, 'data-doc': ev.doc,
        class: 'clickable' + (ev.negated ? ' negated' : ''),
      },
      el('td', { class: 'num' }, ev.doc !== null && ev.doc !== undefined
        ? el('a', { href, 'data-testid': 'event-link' }, String(ev.id)) : String(ev.id)),
      el('td', { class: 'date', 'data-testid': 'cell-date' }, ev.date || '—'),
      el('td', { class: 'code', 'data-testid': 'cell-code' }, ev.code),
      el('td', { class: 'label' }, ev.label, ev.negated ? el('span', { class: 'flag' }, 'negated') : null),
      setAttrs(actorCell(ev.source), { 'data-testid': 'cell-source', 'data-code': ev.source && ev.source.code }),
      setAttrs(actorCell(ev.target), { 'data-testid': 'cell-target', 'data-code': ev.target && ev.target.code }),
      quadCell(ev.quad_class),
      el('td', { class: 'num', 'data-testid': 'cell-goldstein' }, fmtNum(ev.goldstein, 1)),
      el('td', { class: 'num', 'data-testid': 'cell-mentions' }, fmtNum(ev.num_mentions)),
      el('td', { class: 'num', 'data-testid': 'cell-articles' }, fmtNum(ev.num_articles)),
      el('td', { class: 'sentence' }, ev.sentence || ''));
      if (ev.doc !== null && ev.doc !== undefined) {
        tr.addEventListener('click', (e) => {
          if (e.target.closest('a')) return;
          location.hash = href;
        });
      }
      body.appendChild(tr);
    }
    const pages = Math.max(1, Math.ceil(data.total / data.per_page));
    byId('page-info').textContent = `Page ${data.page} of ${pages}`;
    byId('total-info').textContent = `${data.total} event${data.total === 1 ? '' : 's'} in total`;
    byId('page-prev').disabled = data.page <= 1;
    byId('page-next').disabled = data.page >= pages;
    byId('events-empty').hidden = data.events.length > 0;
    byId('view-events').removeAttribute('aria-busy');
    byId('view-events').setAttribute('data-loaded', qs.toString());
  }

  function setEventsParam(changes) {
    const { params } = parseHash();
    const p = eventsParams(params);
    Object.assign(p, changes);
    if (p.sort === 'id') delete p.sort;
    if (p.order === 'asc') delete p.order;
    if (String(p.per_page) === '50') delete p.per_page;
    if (p.page === 1) delete p.page;
    location.hash = buildHash('/events', p);
  }

  function onSortClick(ev) {
    const key = ev.currentTarget.getAttribute('data-sort');
    const p = eventsParams(parseHash().params);
    const order = p.sort === key ? (p.order === 'asc' ? 'desc' : 'asc') : (key === 'id' || key === 'date' ? 'asc' : 'desc');
    setEventsParam({ sort: key, order, page: 1 });
  }

  // ---------------------------------------------------------------- charts

  function statsQuery(params, extra) {
    const q = new URLSearchParams(Object.entries(filtersFrom(params)));
    for (const [k, v] of Object.entries(extra)) q.set(k, v);
    return q.toString();
  }

  async function loadCharts(params, token) {
    const by = params.get('by') === 'month' ? 'month' : 'day';
    byId('timeline-by').value = by;
    const tl = byId('timeline');
    const nw = byId('network');
    const mp = byId('map');
    byId('view-charts').setAttribute('aria-busy', 'true');
    let timeline, dyads, places, world;
    try {
      [timeline, dyads, places, world] = await Promise.all([
        api('/api/stats/timeline?' + statsQuery(params, { by })),
        api('/api/stats/dyads?' + statsQuery(params, { limit: '50' })),
        api('/api/stats/places?' + statsQuery(params, { limit: '200' })),
        worldOutline(),
      ]);
    } catch (e) {
      if (token !== navToken) return;
      clear(tl);
      clear(nw);
      clear(mp);
      byId('view-charts').removeAttribute('aria-busy');
      reportError(e);
      return;
    }
    if (token !== navToken) return;
    drawTimeline(tl, timeline);
    drawNetwork(nw, dyads, params);
    drawMap(mp, world, places, params);
    byId('view-charts').removeAttribute('aria-busy');
  }

  // The country outlines, fetched once (Natural Earth, served with the page: no tiles, no CDN).
  let worldPromise = null;
  function worldOutline() {
    if (!worldPromise) {
      worldPromise = api('/assets/world.json').catch((e) => { worldPromise = null; throw e; });
    }
    return worldPromise;
  }

  // Places on a plate carrée map (x = longitude, y = -latitude): one point per place, its area
  // by events, its colour the QuadClass most of them have; a point lists the place's events.
  function drawMap(container, world, data, params) {
    clear(container);
    const places = (data && data.places) || [];
    const root = svg('svg', {
      viewBox: '-180 -90 360 180', class: 'map', role: 'img', 'data-testid': 'map-svg',
      'aria-label': `Map of ${places.length} place${places.length === 1 ? '' : 's'} where events happened`,
    });
    const d = ((world && world.rings) || []).map((r) => {
      let p = '';
      for (let i = 0; i + 1 < r.length; i += 2) p += (i ? 'L' : 'M') + r[i] + ',' + (-r[i + 1]);
      return p + 'Z';
    }).join('');
    root.appendChild(svg('path', { d, class: 'land', 'data-testid': 'map-land' }));
    const max = Math.max(1, ...places.map((p) => p.events));
    const baseFilters = filtersFrom(params);
    // Biggest first, so that small points stay on top and can be clicked.
    const order = places.map((p, i) => i).sort((a, b) => places[b].events - places[a].events || a - b);
    for (const i of order) {
      const p = places[i];
      const q = p.by_quad.indexOf(Math.max(...p.by_quad)) + 1;
      const r = 0.8 + 3.2 * Math.sqrt(p.events / max);
      const near = `${p.lat.toFixed(4)},${p.lon.toFixed(4)},${p.geo_type === 1 ? 500 : 25}`;
      const filter = p.geo_type === 1 ? { country: p.country_code } : { near };
      root.appendChild(svg('a', { href: buildHash('/events', Object.assign({}, baseFilters, filter)) },
        svg('circle', {
          cx: p.lon.toFixed(3), cy: (-p.lat).toFixed(3), r: r.toFixed(2), class: 'map-point q' + q,
          'data-testid': 'map-point', 'data-feature': p.feature_id, 'data-events': p.events, 'data-quad': q,
        }),
        svg('title', {}, `${p.name}: ${p.events} event${p.events === 1 ? '' : 's'} ` +
          `(${p.by_quad.map((n, k) => `${n} of quad class ${k + 1}`).filter((t) => !t.startsWith('0 ')).join(', ')})`)));
    }
    container.appendChild(root);
    if (!places.length) {
      container.appendChild(el('p', { class: 'muted', 'data-testid': 'map-empty' }, 'No placed events match these filters.'));
    }
  }

  // Periods between first and last, inclusive ('YYYY-MM-DD' by day, 'YYYY-MM' by month).
  function periodRange(first, last, by) {
    const out = [];
    if (by === 'month') {
      let [y, m] = first.split('-').map(Number);
      const [ly, lm] = last.split('-').map(Number);
      if (!y || !m || !ly || !lm) return null;
      while (y < ly || (y === ly && m <= lm)) {
        out.push(`${y}-${String(m).padStart(2, '0')}`);
        if (out.length > 400) return null;
        m += 1;
        if (m > 12) { m = 1; y += 1; }
      }
      return out;
    }
    const d = new Date(first + 'T00:00:00Z');
    const end = new Date(last + 'T00:00:00Z');
    if (Number.isNaN(d.getTime()) || Number.isNaN(end.getTime())) return null;
    while (d <= end) {
      out.push(d.toISOString().slice(0, 10));
      if (out.length > 400) return null;
      d.setUTCDate(d.getUTCDate() + 1);
    }
    return out;
  }

  function niceMax(v) {
    if (v <= 5) return Math.max(1, Math.ceil(v));
    const p = Math.pow(10, Math.floor(Math.log10(v)));
    for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
    return 10 * p;
  }

  function drawTimeline(container, data) {
    clear(container);
    const rows = (data.rows || []).filter((r) => r.period);
    const note = byId('timeline-note');
    if (!rows.length) {
      container.appendChild(el('p', { class: 'muted', 'data-testid': 'timeline-empty' }, 'No dated events match these filters.'));
      note.textContent = '';
      return;
    }
    const by = data.by === 'month' ? 'month' : 'day';
    const byPeriod = new Map();
    for (const r of rows) {
      if (!byPeriod.has(r.period)) byPeriod.set(r.period, { 1: 0, 2: 0, 3: 0, 4: 0 });
      byPeriod.get(r.period)[r.quad_class] = (byPeriod.get(r.period)[r.quad_class] || 0) + r.events;
    }
    const present = [...byPeriod.keys()].sort();
    // A continuous axis (empty periods shown) when it stays readable; else only periods with events.
    let periods = periodRange(present[0], present[present.length - 1], by);
    let continuous = true;
    if (!periods || periods.length > 120) {
      periods = present;
      continuous = false;
    }
    note.textContent = continuous
      ? `${present.length} ${by === 'day' ? 'days' : 'months'} with events, from ${present[0]} to ${present[present.length - 1]}.`
      : `${present.length} ${by === 'day' ? 'days' : 'months'} with events from ${present[0]} to ${present[present.length - 1]}; ` +
        `periods without events are left out of the axis (choose "month" for a continuous axis).`;

    let maxTotal = 0;
    for (const p of present) {
      const c = byPeriod.get(p);
      maxTotal = Math.max(maxTotal, c[1] + c[2] + c[3] + c[4]);
    }
    const yMax = niceMax(maxTotal);
    // as wide as the box (bars at most 40 px), scrolling only when the bars would be thinner than 4 px
    const W = Math.max(480, Math.floor(container.clientWidth - 16) || 900, Math.min(periods.length * 6 + 80, 6000));
    const H = 300;
    const m = { l: 44, r: 12, t: 12, b: 70 };
    const iw = W - m.l - m.r;
    const ih = H - m.t - m.b;
    const step = iw / periods.length;
    const bw = Math.max(2, Math.min(40, step * 0.7));
    const y = (v) => m.t + ih - (v / yMax) * ih;
    const root = svg('svg', {
      viewBox: `0 0 ${W} ${H}`, width: W, height: H, class: 'timeline', role: 'img',
      'data-testid': 'timeline-svg', 'aria-label': 'Events over time by quad class',
    });
    // y axis and grid
    const ticks = 5;
    for (let i = 0; i <= ticks; i++) {
      const v = (yMax * i) / ticks;
      if (yMax <= 5 && v !== Math.round(v)) continue;
      root.appendChild(svg('line', { x1: m.l, x2: W - m.r, y1: y(v), y2: y(v), class: 'grid' }));
      root.appendChild(svg('text', { x: m.l - 6, y: y(v) + 4, class: 'tick', 'text-anchor': 'end' }, fmtNum(Math.round(v * 10) / 10)));
    }
    root.appendChild(svg('text', { x: 12, y: m.t + ih / 2, class: 'axis-title', transform: `rotate(-90 12 ${m.t + ih / 2})`, 'text-anchor': 'middle' }, 'events'));
    const labelEvery = Math.ceil(periods.length / Math.max(1, Math.floor(iw / 30)));
    periods.forEach((p, i) => {
      const cx = m.l + step * i + step / 2;
      const counts = byPeriod.get(p);
      if (counts) {
        let acc = 0;
        for (const q of [1, 2, 3, 4]) {
          const n = counts[q] || 0;
          if (!n) continue;
          const rect = svg('rect', {
            x: cx - bw / 2, y: y(acc + n), width: bw, height: Math.max(0.5, y(acc) - y(acc + n)),
            class: 'bar q' + q, 'data-testid': 'timeline-bar', 'data-period': p, 'data-quad': q, 'data-events': n,
          }, svg('title', {}, `${p}: ${n} event${n === 1 ? '' : 's'}, ${q} ${QUADS[q]}`));
          root.appendChild(rect);
          acc += n;
        }
      }
      if (i % labelEvery === 0) {
        root.appendChild(svg('text', {
          x: cx, y: H - m.b + 12, class: 'tick', 'text-anchor': 'end', transform: `rotate(-45 ${cx} ${H - m.b + 12})`,
        }, p));
      }
    });
    root.appendChild(svg('line', { x1: m.l, x2: W - m.r, y1: y(0), y2: y(0), class: 'axis' }));
    container.appendChild(root);
  }

  // Deterministic layout (no randomness: the same data always gives the same picture).
  // Connected components (in the API's node order, largest first) are laid out one by one with
  // a Fruchterman-Reingold force layout started from a circle, then packed in rows.
  // Returns {pos: [{x, y}] in node order, W, H}.
  function layoutNetwork(nodes, edges, W, maxH) {
    const n = nodes.length;
    const index = new Map(nodes.map((nd, i) => [nd.id, i]));
    const adj = nodes.map(() => new Set());
    for (const e of edges) {
      const i = index.get(e.source);
      const j = index.get(e.target);
      if (i === undefined || j === undefined || i === j) continue;
      adj[i].add(j);
      adj[j].add(i);
    }
    const comp = new Array(n).fill(-1);
    const comps = [];
    for (let s = 0; s < n; s++) {
      if (comp[s] >= 0) continue;
      const members = [s];
      comp[s] = comps.length;
      for (let q = 0; q < members.length; q++) {
        for (const t of [...adj[members[q]]].sort((x, y) => x - y)) {
          if (comp[t] < 0) { comp[t] = comps.length; members.push(t); }
        }
      }
      comps.push(members);
    }
    comps.sort((x, y) => y.length - x.length || x[0] - y[0]);
    const K = 95; // ideal edge length
    const pos = new Array(n);
    const boxes = comps.map((members) => {
      const m = members.length;
      const local = members.map((_, i) => {
        if (m === 2) return { x: i * 1.3 * K, y: 0 }; // a pair side by side
        const a = -Math.PI / 2 + (2 * Math.PI * i) / m;
        const r = m === 1 ? 0 : (K * m) / (2 * Math.PI) + K / 2;
        return { x: r * Math.cos(a), y: r * Math.sin(a) };
      });
      if (m > 2) {
        const li = new Map(members.map((g, i) => [g, i]));
        let temp = K;
        for (let it = 0; it < 300; it++) {
          const disp = local.map(() => ({ x: 0, y: 0 }));
          for (let i = 0; i < m; i++) {
            for (let j = i + 1; j < m; j++) {
              let dx = local[i].x - local[j].x;
              let dy = local[i].y - local[j].y;
              let d = Math.hypot(dx, dy);
              if (d < 0.01) { dx = 0.01 * (j - i); dy = 0.01; d = Math.hypot(dx, dy); }
              const f = (K * K) / d;
              disp[i].x += (dx / d) * f; disp[i].y += (dy / d) * f;
              disp[j].x -= (dx / d) * f; disp[j].y -= (dy / d) * f;
            }
          }
          for (let i = 0; i < m; i++) {
            for (const g of adj[members[i]]) {
              const j = li.get(g);
              if (j <= i) continue;
              const dx = local[i].x - local[j].x;
              const dy = local[i].y - local[j].y;
              const d = Math.max(0.01, Math.hypot(dx, dy));
              const f = (d * d) / K;
              disp[i].x -= (dx / d) * f; disp[i].y -= (dy / d) * f;
              disp[j].x += (dx / d) * f; disp[j].y += (dy / d) * f;
            }
          }
          for (let i = 0; i < m; i++) {
            // gravity keeps loosely connected parts together
            disp[i].x -= local[i].x * 0.05;
            disp[i].y -= local[i].y * 0.05;
            const d = Math.max(0.01, Math.hypot(disp[i].x, disp[i].y));
            const step = Math.min(d, temp) / d;
            local[i].x += disp[i].x * step;
            local[i].y += disp[i].y * step;
          }
          temp = Math.max(0.5, temp * 0.985);
        }
      }
      let minX = Infinity; let minY = Infinity; let maxX = -Infinity; let maxY = -Infinity;
      for (const p of local) {
        minX = Math.min(minX, p.x); maxX = Math.max(maxX, p.x);
        minY = Math.min(minY, p.y); maxY = Math.max(maxY, p.y);
      }
      // room for node radius, labels below and self-loops above
      const pad = { l: 45, r: 45, t: 60, b: 35 };
      // a component larger than the drawing is shrunk (positions only, not the nodes)
      const scale = Math.min(1, (W - pad.l - pad.r) / Math.max(1, maxX - minX), (maxH - pad.t - pad.b) / Math.max(1, maxY - minY));
      if (scale < 1) {
        for (const p of local) { p.x *= scale; p.y *= scale; }
        minX *= scale; maxX *= scale; minY *= scale; maxY *= scale;
      }
      return { members, local, minX, minY, w: maxX - minX + pad.l + pad.r, h: maxY - minY + pad.t + pad.b, pad };
    });
    // shelf packing
    let x = 0; let y = 0; let rowH = 0; let usedW = 0;
    for (const b of boxes) {
      if (x > 0 && x + b.w > W) { x = 0; y += rowH; rowH = 0; }
      b.members.forEach((g, i) => {
        pos[g] = { x: x + b.pad.l + (b.local[i].x - b.minX), y: y + b.pad.t + (b.local[i].y - b.minY) };
      });
      x += b.w;
      usedW = Math.max(usedW, x);
      rowH = Math.max(rowH, b.h);
    }
    return { pos, W: Math.max(W, usedW), H: y + rowH };
  }

  function edgeColour(g) {
    if (g < 0) return 'neg';
    if (g > 0) return 'pos';
    return 'zero';
  }

  function drawNetwork(container, data, params) {
    clear(container);
    const nodes = data.nodes || [];
    const edges = data.edges || [];
    if (!nodes.length) {
      container.appendChild(el('p', { class: 'muted', 'data-testid': 'network-empty' }, 'No dyads (events with a source and a target) match these filters.'));
      return;
    }
    const width = Math.max(600, Math.floor(container.clientWidth - 16) || 1000);
    const layout = layoutNetwork(nodes, edges, width, Math.max(420, Math.round(width * 0.6)));
    const pos = layout.pos;
    const W = Math.ceil(layout.W);
    const H = Math.ceil(layout.H);
    const index = new Map(nodes.map((nd, i) => [nd.id, i]));
    const maxNodeEv = Math.max(1, ...nodes.map((nd) => nd.events || 0));
    const maxEdgeEv = Math.max(1, ...edges.map((e) => e.events || 0));
    const radius = (nd) => 6 + 14 * Math.sqrt((nd.events || 0) / maxNodeEv);
    const root = svg('svg', {
      viewBox: `0 0 ${W} ${H}`, width: W, height: H, class: 'network', role: 'img',
      'data-testid': 'network-svg', 'aria-label': 'Dyad network',
    });
    const defs = svg('defs', {});
    for (const c of ['neg', 'pos', 'zero']) {
      defs.appendChild(svg('marker', {
        id: 'arrow-' + c, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7,
        orient: 'auto-start-reverse', markerUnits: 'userSpaceOnUse', class: 'arrow ' + c,
      }, svg('path', { d: 'M0,0 L10,5 L0,10 z' })));
    }
    root.appendChild(defs);
    const gEdges = svg('g', { class: 'edges' });
    const baseFilters = filtersFrom(params);
    for (const e of edges) {
      const i = index.get(e.source);
      const j = index.get(e.target);
      if (i === undefined || j === undefined) continue;
      const width = 1 + 5 * ((e.events || 0) / maxEdgeEv);
      const colour = edgeColour(e.goldstein_sum || 0);
      let d;
      if (i === j) {
        // self-loop above the node
        const r = radius(nodes[i]);
        const x = pos[i].x;
        const yy = pos[i].y - r;
        d = `M${x - 5},${yy} C${x - 30},${yy - 45} ${x + 30},${yy - 45} ${x + 5},${yy}`;
      } else {
        // a gentle curve to the right of the direction, so A->B and B->A do not overlap
        const x1 = pos[i].x; const y1 = pos[i].y; const x2 = pos[j].x; const y2 = pos[j].y;
        const dx = x2 - x1; const dy = y2 - y1; const len = Math.max(1, Math.hypot(dx, dy));
        const nx = -dy / len; const ny = dx / len;
        const bend = Math.min(40, len * 0.15);
        const mx = (x1 + x2) / 2 + nx * bend;
        const my = (y1 + y2) / 2 + ny * bend;
        // start and end at the node borders (approximately, along the control direction)
        const rs = radius(nodes[i]); const rt = radius(nodes[j]) + 2;
        const sx = mx - x1; const sy = my - y1; const sl = Math.max(1, Math.hypot(sx, sy));
        const tx = mx - x2; const ty = my - y2; const tl = Math.max(1, Math.hypot(tx, ty));
        d = `M${(x1 + (sx / sl) * rs).toFixed(1)},${(y1 + (sy / sl) * rs).toFixed(1)} Q${mx.toFixed(1)},${my.toFixed(1)} ` +
          `${(x2 + (tx / tl) * rt).toFixed(1)},${(y2 + (ty / tl) * rt).toFixed(1)}`;
      }
      const a = svg('a', {
        href: buildHash('/events', Object.assign({}, baseFilters, { source: e.source, target: e.target })),
        class: 'edge-link',
      },
      svg('path', {
        d, class: 'edge ' + colour, 'stroke-width': width.toFixed(2), 'marker-end': `url(#arrow-${colour})`,
        'data-testid': 'network-edge', 'data-source': e.source, 'data-target': e.target, 'data-events': e.events,
      }),
      svg('title', {}, `${e.source} → ${e.target}: ${e.events} event${e.events === 1 ? '' : 's'}, ` +
        `${e.mentions} mention${e.mentions === 1 ? '' : 's'}, Goldstein sum ${fmtNum(e.goldstein_sum, 1)}`));
      gEdges.appendChild(a);
    }
    root.appendChild(gEdges);
    const gNodes = svg('g', { class: 'nodes' });
    const gLabels = svg('g', { class: 'labels' });
    nodes.forEach((nd, i) => {
      const r = radius(nd);
      gNodes.appendChild(svg('g', {
        class: 'node', 'data-testid': 'network-node', 'data-id': nd.id, 'data-events': nd.events,
        transform: `translate(${pos[i].x.toFixed(1)},${pos[i].y.toFixed(1)})`,
      },
      svg('circle', { r: r.toFixed(1) }),
      svg('title', {}, `${nd.id}: ${nd.events} event${nd.events === 1 ? '' : 's'}`)));
    });
    root.appendChild(gNodes);
    // labels in their own layer above all circles; placed once the drawing is in the page, where
    // their size can be measured
    root.appendChild(gLabels);
    container.appendChild(root);
    placeLabels(gLabels, nodes.map((nd, i) => ({ id: nd.id, x: pos[i].x, y: pos[i].y, r: radius(nd), events: nd.events || 0 })), W, H);
  }

  // Puts each node's label beside its node where it covers no other label and no node: below,
  // above, right or left, then further out; the biggest nodes choose first. Where every place is
  // taken, the one covering least is used.
  function placeLabels(layer, items, W, H) {
    const hit = (a, b) => a.l < b.r && b.l < a.r && a.t < b.b && b.t < a.b;
    const circles = items.map((c) => ({ l: c.x - c.r - 1, r: c.x + c.r + 1, t: c.y - c.r - 1, b: c.y + c.r + 1 }));
    const placed = [];
    const order = items.map((_, i) => i).sort((a, b) => items[b].events - items[a].events || (items[a].id < items[b].id ? -1 : 1));
    for (const i of order) {
      const c = items[i];
      const text = svg('text', { x: 0, y: 0, 'text-anchor': 'middle', 'data-testid': 'network-label', 'data-id': c.id }, c.id);
      layer.appendChild(text);
      let bb;
      try { bb = text.getBBox(); } catch (e) { bb = null; }
      if (!bb || !bb.width) bb = { x: -c.id.length * 4, y: -10, width: c.id.length * 8, height: 13 };
      const w = bb.width + 4; const h = bb.height + 2;
      // candidate boxes (top-left corners), ring by ring
      const cands = [];
      for (let ring = 0; ring < 8; ring++) {
        const d = 2 + ring * 7;
        cands.push([c.x - w / 2, c.y + c.r + d]);
        cands.push([c.x - w / 2, c.y - c.r - d - h]);
        cands.push([c.x + c.r + d, c.y - h / 2]);
        cands.push([c.x - c.r - d - w, c.y - h / 2]);
        cands.push([c.x + c.r * 0.7 + d, c.y + c.r * 0.7 + d]);
        cands.push([c.x - c.r * 0.7 - d - w, c.y + c.r * 0.7 + d]);
        cands.push([c.x + c.r * 0.7 + d, c.y - c.r * 0.7 - d - h]);
        cands.push([c.x - c.r * 0.7 - d - w, c.y - c.r * 0.7 - d - h]);
      }
      let best = null; let bestCost = Infinity;
      for (const [l, t] of cands) {
        const box = { l, t, r: l + w, b: t + h };
        let cost = 0;
        if (box.l < 0 || box.t < 0 || box.r > W || box.b > H) cost += 100;
        for (const p of placed) if (hit(box, p)) cost += 10;
        for (const q of circles) if (hit(box, q)) cost += 10;
        if (cost < bestCost) { best = box; bestCost = cost; }
        if (cost === 0) break;
      }
      placed.push(best);
      // from the box back to the text's anchor (middle of the baseline)
      text.setAttribute('x', (best.l + w / 2).toFixed(1));
      text.setAttribute('y', (best.t + 1 - bb.y).toFixed(1));
    }
  }

  // ---------------------------------------------------------------- byte offsets

  // The API gives UTF-8 byte offsets; JS strings index UTF-16 code units. Returns a function
  // byte offset -> string index (a byte inside a character maps to the character's start).
  function byteIndexer(text) {
    let bytes = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c < 0x80) bytes += 1;
      else if (c < 0x800) bytes += 2;
      else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length &&
        text.charCodeAt(i + 1) >= 0xdc00 && text.charCodeAt(i + 1) <= 0xdfff) { bytes += 4; i++; } else bytes += 3;
    }
    const map = new Uint32Array(bytes + 1);
    let b = 0;
    for (let i = 0; i < text.length;) {
      const cp = text.codePointAt(i);
      const units = cp > 0xffff ? 2 : 1;
      const nb = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      for (let k = 0; k < nb; k++) map[b + k] = i;
      b += nb;
      i += units;
    }
    map[bytes] = text.length;
    const f = (byte) => map[Math.max(0, Math.min(bytes, Number(byte) || 0))];
    f.byteLength = bytes;
    return f;
  }

  // ---------------------------------------------------------------- highlighted text

  // mentions: [{key, source:{start,end}|null, verb:{start,end}, target:{...}|null, sentence:{start,end}}]
  // (byte offsets). Renders text into container with one <span> per run of text covered by the
  // same set of spans; selectedKey's spans get class sel-ROLE. onPick(key) is called on click.
  function renderHighlighted(container, text, mentions, selectedKey, onPick) {
    clear(container);
    const toIdx = byteIndexer(text);
    const spans = [];
    const bounds = new Set([0, text.length]);
    let selSentence = null;
    for (const m of mentions) {
      for (const role of ROLES) {
        const s = m[role];
        if (!s || s.start === undefined || s.end === undefined) continue;
        const a = toIdx(s.start);
        const b = toIdx(s.end);
        if (b <= a) continue;
        spans.push({ a, b, role, key: m.key });
        bounds.add(a);
        bounds.add(b);
      }
      if (m.key === selectedKey && m.sentence) {
        selSentence = { a: toIdx(m.sentence.start), b: toIdx(m.sentence.end) };
        bounds.add(selSentence.a);
        bounds.add(selSentence.b);
      }
    }
    const cuts = [...bounds].sort((x, y) => x - y);
    spans.sort((x, y) => x.a - y.a || y.b - x.b);
    let firstSel = null;
    let si = 0;
    let active = [];
    for (let c = 0; c + 1 < cuts.length; c++) {
      const a = cuts[c];
      const b = cuts[c + 1];
      if (b <= a) continue;
      active = active.filter((s) => s.b > a);
      while (si < spans.length && spans[si].a <= a) {
        if (spans[si].b > a) active.push(spans[si]);
        si++;
      }
      const piece = text.slice(a, b);
      const inSentence = selSentence && a >= selSentence.a && b <= selSentence.b;
      if (!active.length) {
        container.appendChild(inSentence ? el('span', { class: 'in-sentence' }, piece) : document.createTextNode(piece));
        continue;
      }
      const sel = active.filter((s) => s.key === selectedKey);
      const shown = sel.length ? sel : active;
      const roles = [...new Set(shown.map((s) => s.role))];
      const keys = [...new Set(active.map((s) => s.key))];
      const cls = ['hl'].concat(roles.map((r) => 'hl-' + r));
      if (sel.length) cls.push(...roles.map((r) => 'sel-' + r), 'sel');
      if (inSentence) cls.push('in-sentence');
      const title = active.map((s) => `${s.role} of ${s.key}`).join('; ');
      const span = el('span', {
        class: cls.join(' '), 'data-testid': 'hl', 'data-roles': roles.join(' '),
        'data-keys': keys.join(' '), 'data-sel-roles': sel.length ? [...new Set(sel.map((s) => s.role))].join(' ') : null,
        title, tabindex: '0', role: 'button',
      }, piece);
      const pick = () => {
        // clicking again on a run shared by several events cycles through them
        const i = keys.indexOf(selectedKey);
        onPick(keys[(i + 1) % keys.length]);
      };
      span.addEventListener('click', pick);
      span.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); pick(); } });
      if (sel.length && !firstSel) firstSel = span;
      container.appendChild(span);
    }
    return firstSel;
  }

  // ---------------------------------------------------------------- explanation

  function dlRow(dl, term, value, testid) {
    dl.appendChild(el('dt', {}, term));
    const dd = el('dd', { 'data-testid': testid || null });
    append(dd, Array.isArray(value) ? value : [value]);
    dl.appendChild(dd);
    return dd;
  }

  function actorDetails(a) {
    if (!a || !a.code) {
      return [el('span', { class: 'muted', 'data-testid': 'actor-none' }, 'none', a && a.entry ? ` (${a.entry})` : '')];
    }
    const out = [
      el('b', { 'data-testid': 'actor-code' }, a.code), ' ', a.name || '',
      el('div', {}, 'text: “', el('span', { class: 'quote', 'data-testid': 'actor-text' }, a.text || ''), '”'),
      el('div', {}, 'dictionary: ', el('code', { 'data-testid': 'actor-entry' }, a.entry || '')),
    ];
    if (a.antecedent) out.push(el('div', {}, 'refers to: “', el('span', { 'data-testid': 'actor-antecedent' }, a.antecedent), '”'));
    if (a.place) out.push(el('div', {}, 'where: ', placeDetails(a.place, 'actor-place')));
    return out;
  }

  // A coded place: its name, the words that gave it, how it was tied, and the gazetteer line.
  function placeDetails(p, testid) {
    return el('span', { 'data-testid': testid },
      el('b', {}, p.name || ''), ` (${p.adm1 || p.country_code || ''}, type ${p.geo_type})`,
      p.text ? [' from “', el('span', { class: 'quote' }, p.text), '”'] : '',
      p.resolution ? ` — ${p.resolution}` : '',
      p.entry ? el('div', { class: 'small' }, el('code', {}, p.entry)) : null);
  }

  // m: a Mention (from the API, with code/label added) or an event from POST /api/code
  // turned into the same shape by codeEventToMention.
  function renderExplanation(box, m, extra) {
    clear(box);
    box.removeAttribute('data-event');
    box.removeAttribute('data-mention');
    if (!m) {
      box.appendChild(el('p', { class: 'muted' }, 'Click an event (a highlight in the text or a row of the list) to see why it was coded.'));
      return;
    }
    box.setAttribute('data-event', m.event !== undefined && m.event !== null ? m.event : '');
    box.setAttribute('data-mention', m.mention_id !== undefined && m.mention_id !== null ? m.mention_id : '');
    box.appendChild(el('h3', {},
      m.event !== undefined && m.event !== null ? `Event ${m.event}: ` : '',
      el('span', { class: 'code', 'data-testid': 'expl-code' }, m.code || ''), ' ',
      el('span', { 'data-testid': 'expl-label' }, m.label || '')));
    const dl = el('dl', { class: 'expl' });
    dlRow(dl, 'Source', el('div', { class: 'hl-source-box', 'data-testid': 'expl-source' }, actorDetails(m.source)));
    dlRow(dl, 'Verb', el('div', { class: 'hl-verb-box', 'data-testid': 'expl-verb' },
      '“', el('span', { class: 'quote', 'data-testid': 'expl-verb-text' }, m.verb ? m.verb.text : ''), '”'));
    dlRow(dl, 'Target', el('div', { class: 'hl-target-box', 'data-testid': 'expl-target' }, actorDetails(m.target)));
    dlRow(dl, 'Pattern', [
      el('code', { 'data-testid': 'expl-pattern-id' }, m.verb ? m.verb.pattern_id : ''), ' ',
      el('code', { class: 'pattern', 'data-testid': 'expl-pattern' }, m.verb ? m.verb.pattern : ''),
    ]);
    if (m.verb && m.verb.relations) {
      dlRow(dl, 'Parse', el('code', {}, m.verb.relations), 'expl-relations');
    }
    if (m.pattern_code && m.pattern_code !== m.code) {
      dlRow(dl, 'Pattern code', el('span', {}, m.pattern_code, ' (changed to ', m.code, ' by the sentence: refusal, threat, ...)'), 'expl-pattern-code');
    }
    dlRow(dl, 'Negated', m.negated ? el('b', { class: 'flag' }, 'yes: reported as not happening') : 'no', 'expl-negated');
    dlRow(dl, 'Modality', m.modality ? m.modality : el('span', { class: 'muted' }, 'none'), 'expl-modality');
    const att = Array.isArray(m.attribution) ? m.attribution : [];
    const attDd = el('div', {});
    if (!att.length) attDd.appendChild(el('span', { class: 'muted' }, 'none (stated by the article)'));
    att.forEach((a, i) => {
      attDd.appendChild(el('div', { class: 'attribution', 'data-testid': 'expl-attribution-item' },
        i === 0 ? 'according to ' : '… who cites ',
        el('b', {}, a.name || a.text || a.code || ''),
        a.text && a.text !== a.name ? ` (“${a.text}”)` : '',
        a.code ? ` ${a.code}` : '',
        a.entry ? el('div', { class: 'small' }, el('code', {}, a.entry)) : null));
    });
    dlRow(dl, 'Attribution', attDd, 'expl-attribution');
    dlRow(dl, 'Place', m.place ? placeDetails(m.place, 'expl-place-detail')
      : el('span', { class: 'muted' }, 'not given by the text'), 'expl-place');
    const sentence = m.sentence && typeof m.sentence === 'object' ? m.sentence.text : m.sentence;
    dlRow(dl, 'Sentence', el('blockquote', { class: 'sentence-quote' }, sentence || ''), 'expl-sentence');
    const facts = [];
    if (m.sentence_index !== undefined && m.sentence_index !== null) facts.push(`sentence ${m.sentence_index + 1}`);
    if (m.in_lead) facts.push('in the lead');
    if (m.mention_count > 1) facts.push(`${m.mention_count} sentences of this article carry it`);
    if (facts.length) dlRow(dl, 'Where', facts.join(', '), 'expl-where');
    box.appendChild(dl);
    if (extra) box.appendChild(extra);
  }

  function eventSummaryBlock(data, currentDoc) {
    const ev = data.event;
    const box = el('div', { class: 'event-summary', 'data-testid': 'expl-event-summary' },
      el('h4', {}, 'Event as stored'),
      el('p', {},
        `${ev.date || 'no date'} · quad class ${ev.quad_class} ${QUADS[ev.quad_class] || ''} · Goldstein ${fmtNum(ev.goldstein, 1)} · ` +
        `${ev.num_mentions} mention${ev.num_mentions === 1 ? '' : 's'} in ${ev.num_articles} article${ev.num_articles === 1 ? '' : 's'} ` +
        `from ${ev.num_sources} source${ev.num_sources === 1 ? '' : 's'}`));
    const url = safeUrl(ev.source_url);
    if (url) box.appendChild(el('p', { class: 'small' }, 'first seen: ', el('a', { href: url, rel: 'noopener noreferrer', target: '_blank' }, ev.source_url)));
    const others = (data.mentions || []).filter((mm) => String(mm.doc) !== String(currentDoc));
    if (others.length) {
      const ul = el('ul', { class: 'small' });
      for (const mm of others) {
        ul.appendChild(el('li', {}, el('a', { href: docHref(mm.doc, ev.id, mm.mention_id) }, mm.doc_title || mm.doc_url || `document ${mm.doc}`),
          ': ', mm.sentence ? mm.sentence.text : ''));
      }
      box.appendChild(el('p', { class: 'small' }, 'Also reported in:'));
      box.appendChild(ul);
    }
    return box;
  }

  // ---------------------------------------------------------------- document view

  let docCache = null; // {id, data}
  const eventCache = new Map();

  async function loadDocument(idRaw, params, token) {
    const id = decodeURIComponent(idRaw);
    let data;
    if (docCache && docCache.id === id) {
      data = docCache.data;
    } else {
      clear(byId('doc-text'));
      clear(byId('doc-mentions-body'));
      clear(byId('doc-explanation'));
      byId('doc-title').textContent = 'Loading…';
      byId('doc-meta').textContent = '';
      byId('view-document').setAttribute('aria-busy', 'true');
      try {
        data = await api('/api/documents/' + encodeURIComponent(id));
      } catch (e) {
        if (token !== navToken) return;
        byId('doc-title').textContent = 'Document not available';
        byId('view-document').removeAttribute('aria-busy');
        reportError(e);
        return;
      }
      if (token !== navToken) return;
      docCache = { id, data };
    }
    byId('view-document').removeAttribute('aria-busy');
    renderDocument(data, params, token);
  }

  function mentionKey(m) {
    return String(m.mention_id);
  }

  function renderDocument(data, params, token) {
    document.title = (data.title || data.id || 'document') + ' — dyad';
    byId('doc-title').textContent = data.title || data.id || `Document ${data.doc}`;
    const meta = clear(byId('doc-meta'));
    const bits = [];
    if (data.source) bits.push(el('span', { 'data-testid': 'doc-source' }, data.source));
    if (data.published) bits.push(el('span', {}, data.published));
    if (data.id) bits.push(el('span', {}, 'id ', el('code', {}, data.id)));
    const url = safeUrl(data.url);
    if (url) bits.push(el('a', { href: url, rel: 'noopener noreferrer', target: '_blank', 'data-testid': 'doc-url' }, data.url));
    else if (data.url) bits.push(el('span', {}, data.url));
    bits.forEach((b, i) => { if (i) meta.appendChild(document.createTextNode(' · ')); meta.appendChild(b); });

    const mentions = (data.mentions || []).slice().sort((x, y) => (x.sentence_index - y.sentence_index) ||
      ((x.verb ? x.verb.start : 0) - (y.verb ? y.verb.start : 0)) || (x.mention_id - y.mention_id));
    const wantEvent = params.get('event');
    const wantMention = params.get('mention');
    let selected = null;
    if (wantMention) selected = mentions.find((m) => String(m.mention_id) === wantMention) || null;
    if (!selected && wantEvent) selected = mentions.find((m) => String(m.event) === wantEvent) || null;
    if ((wantEvent || wantMention) && !selected) {
      showMessage(`Event ${wantEvent || ''} has no mention in this document.`, 'warning');
    }
    const keyed = mentions.map((m) => Object.assign({ key: mentionKey(m) }, m));
    const pick = (key) => {
      const m = mentions.find((mm) => mentionKey(mm) === key);
      if (m) location.hash = docHref(data.doc, m.event, m.mention_id);
    };
    const firstSel = renderHighlighted(byId('doc-text'), data.text || '', keyed, selected ? mentionKey(selected) : null, pick);

    const tbody = clear(byId('doc-mentions-body'));
    for (const m of mentions) {
      const flags = [];
      if (m.negated) flags.push('negated');
      if (m.modality) flags.push('modal: ' + m.modality);
      if (m.attribution && m.attribution.length) flags.push('per ' + m.attribution.map((a) => a.text || a.name).join(' / '));
      const tr = el('tr', {
        class: 'clickable' + (selected === m ? ' selected' : '') + (m.negated ? ' negated' : ''),
        'data-testid': 'doc-mention-row', 'data-event': m.event, 'data-mention': m.mention_id,
        'aria-selected': selected === m ? 'true' : 'false',
      },
      el('td', { class: 'num' }, String((m.sentence_index || 0) + 1)),
      el('td', { class: 'num' }, el('a', { href: docHref(data.doc, m.event, m.mention_id) }, String(m.event))),
      el('td', { class: 'code' }, m.code || ''),
      el('td', {}, m.label || ''),
      el('td', {}, m.source && m.source.text ? el('span', { class: 'hl hl-source' }, m.source.text) : el('span', { class: 'muted' }, '—'),
        m.source && m.source.code ? el('div', { class: 'small' }, m.source.code) : null),
      el('td', {}, el('span', { class: 'hl hl-verb' }, m.verb ? m.verb.text : '')),
      el('td', {}, m.target && m.target.text ? el('span', { class: 'hl hl-target' }, m.target.text) : el('span', { class: 'muted' }, '—'),
        m.target && m.target.code ? el('div', { class: 'small' }, m.target.code) : null),
      el('td', { class: 'small' }, flags.join(', ')));
      tr.addEventListener('click', (e) => {
        if (e.target.closest('a')) return;
        location.hash = docHref(data.doc, m.event, m.mention_id);
      });
      tbody.appendChild(tr);
    }
    if (!mentions.length) tbody.appendChild(el('tr', {}, el('td', { colspan: 8, class: 'muted' }, 'No events were coded in this document.')));

    const box = byId('doc-explanation');
    renderExplanation(box, selected);
    if (selected) {
      if (firstSel && typeof firstSel.scrollIntoView === 'function') firstSel.scrollIntoView({ block: 'center' });
      const evId = selected.event;
      const cached = eventCache.get(String(evId));
      const addSummary = (ev) => {
        if (token !== navToken || box.getAttribute('data-mention') !== String(selected.mention_id)) return;
        box.appendChild(eventSummaryBlock(ev, data.doc));
      };
      if (cached) addSummary(cached);
      else {
        api('/api/events/' + encodeURIComponent(evId)).then((ev) => {
          eventCache.set(String(evId), ev);
          addSummary(ev);
        }).catch((e) => { if (token === navToken) reportError(e); });
      }
    }
  }

  // ---------------------------------------------------------------- code this text

  function codeEventToMention(ev, i) {
    const actor = (a) => (a ? {
      code: a.code, name: a.name, text: a.text, entry: a.entry, antecedent: a.antecedent || null,
      place: a.place || null,
      start: a.span ? a.span.start : undefined, end: a.span ? a.span.end : undefined,
    } : null);
    return {
      key: String(i),
      code: ev.code,
      label: ev.label,
      pattern_code: ev.base_code || null,
      source: actor(ev.source),
      target: actor(ev.target),
      verb: ev.verb ? {
        text: ev.verb.text, pattern_id: ev.verb.pattern_id, pattern: ev.verb.pattern,
        start: ev.verb.span ? ev.verb.span.start : undefined, end: ev.verb.span ? ev.verb.span.end : undefined,
      } : null,
      sentence: {
        text: ev.sentence_text,
        start: ev.sentence_span ? ev.sentence_span.start : undefined,
        end: ev.sentence_span ? ev.sentence_span.end : undefined,
      },
      sentence_index: typeof ev.sentence === 'number' ? ev.sentence : null,
      negated: !!ev.negated,
      modality: ev.modality || null,
      attribution: ev.attribution || [],
      place: ev.place || null,
      mention_count: ev.mentions,
    };
  }

  // Spans of POST /api/code refer to the text as dyad read it; highlight only when they do match
  // the submitted text (checked on every sentence), else show the table alone.
  function spansMatchText(text, mentions) {
    const toIdx = byteIndexer(text);
    return mentions.every((m) => m.sentence.start === undefined ||
      text.slice(toIdx(m.sentence.start), toIdx(m.sentence.end)) === m.sentence.text);
  }

  let codeState = null;
  let codeRuns = 0;

  async function onCodeSubmit(ev) {
    ev.preventDefault();
    clearMessage();
    const text = byId('code-text').value;
    const date = byId('code-date').value;
    const body = { text };
    if (date) body.date = date;
    const btn = byId('code-submit');
    btn.disabled = true;
    byId('code-info').textContent = 'coding…';
    byId('view-code').setAttribute('aria-busy', 'true');
    let data;
    try {
      data = await api('/api/code', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify(body),
      });
    } catch (e) {
      btn.disabled = false;
      byId('code-info').textContent = '';
      byId('view-code').removeAttribute('aria-busy');
      byId('code-output').hidden = true;
      codeRuns += 1;
      byId('view-code').setAttribute('data-runs', String(codeRuns));
      reportError(e);
      return;
    }
    btn.disabled = false;
    byId('view-code').removeAttribute('aria-busy');
    const events = Array.isArray(data.events) ? data.events : [];
    codeRuns += 1;
    byId('view-code').setAttribute('data-runs', String(codeRuns));
    byId('code-info').textContent = `${events.length} event${events.length === 1 ? '' : 's'} found`;
    const mentions = events.map(codeEventToMention);
    codeState = { text, events, mentions, highlight: spansMatchText(text, mentions) };
    renderCodeResults(null);
  }

  function renderCodeResults(selectedKey) {
    const { text, events, mentions, highlight } = codeState;
    byId('code-output').hidden = false;
    const tbody = clear(byId('code-body'));
    events.forEach((ev, i) => {
      const flags = [];
      if (ev.negated) flags.push('negated');
      if (ev.modality) flags.push('modal: ' + ev.modality);
      if (ev.attribution && ev.attribution.length) flags.push('per ' + ev.attribution.map((a) => a.text || a.name).join(' / '));
      const tr = el('tr', {
        class: 'clickable' + (String(i) === selectedKey ? ' selected' : '') + (ev.negated ? ' negated' : ''),
        'data-testid': 'code-row', 'data-key': i,
      },
      el('td', { class: 'num' }, String(i + 1)),
      el('td', { class: 'date' }, ev.date || '—'),
      el('td', { class: 'code', 'data-testid': 'code-cell-code' }, ev.code),
      el('td', {}, ev.label),
      setAttrs(actorCell(ev.source), { 'data-testid': 'code-cell-source' }),
      setAttrs(actorCell(ev.target), { 'data-testid': 'code-cell-target' }),
      el('td', {}, ev.verb ? ev.verb.text : '', ev.verb ? el('div', { class: 'small' }, el('code', {}, ev.verb.pattern)) : null),
      el('td', { class: 'small' }, flags.join(', ')),
      el('td', { class: 'sentence' }, ev.sentence_text || ''));
      tr.addEventListener('click', () => renderCodeResults(String(i)));
      tbody.appendChild(tr);
    });
    if (!events.length) tbody.appendChild(el('tr', {}, el('td', { colspan: 9, class: 'muted', 'data-testid': 'code-empty' }, 'No events found in this text.')));
    const docBox = byId('code-doc');
    if (highlight && events.length) {
      renderHighlighted(docBox, text, mentions, selectedKey, (k) => renderCodeResults(k));
    } else {
      clear(docBox);
      if (events.length) docBox.appendChild(el('p', { class: 'muted' }, 'The offsets do not match the text as submitted; see the table.'));
    }
    const sel = mentions.find((m) => m.key === selectedKey) || null;
    renderExplanation(byId('code-explanation'), sel);
  }

  // ---------------------------------------------------------------- wiring

  function init() {
    byId('message-close').addEventListener('click', clearMessage);
    byId('filters').addEventListener('submit', onFiltersSubmit);
    byId('filters-reset').addEventListener('click', onFiltersReset);
    byId('page-prev').addEventListener('click', () => {
      const p = eventsParams(parseHash().params);
      setEventsParam({ page: Math.max(1, p.page - 1) });
    });
    byId('page-next').addEventListener('click', () => {
      const p = eventsParams(parseHash().params);
      setEventsParam({ page: p.page + 1 });
    });
    byId('per-page').addEventListener('change', (e) => setEventsParam({ per_page: e.target.value, page: 1 }));
    for (const b of document.querySelectorAll('button.sort')) b.addEventListener('click', onSortClick);
    byId('timeline-by').addEventListener('change', (e) => {
      const f = filtersFrom(parseHash().params);
      if (e.target.value !== 'day') f.by = e.target.value;
      location.hash = buildHash('/charts', f);
    });
    byId('code-form').addEventListener('submit', onCodeSubmit);
    byId('code-text').addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) byId('code-form').requestSubmit();
    });
    window.addEventListener('hashchange', route);
    if (!location.hash || location.hash === '#' || location.hash === '#/') {
      history.replaceState(null, '', '#/events');
    }
    loadStatus();
    route();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
}());
