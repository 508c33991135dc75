// Overview: every registry's repositories with image counts, storage, monthly cost and what the
// current policy mode (each repository's installed policy, or the editor's policy) would free;
// storage by repository and images by age; search and sort across all repositories.
import { get, post } from './api.js';
import { h, clear, setStatus, debounce } from './dom.js';
import { bytes, money, count, time, shortDigest } from './format.js';
import { barChart, histogram } from './charts.js';

const COLUMNS = [
  { key: 'name', label: 'Repository', value: (r) => r.registryLabel + '/' + r.name, text: true },
  { key: 'images', label: 'Images', value: (r) => r.images },
  { key: 'untagged', label: 'Untagged', value: (r) => r.untagged },
  { key: 'bytes', label: 'Storage', value: (r) => r.bytes },
  { key: 'monthlyCost', label: 'Cost / month', value: (r) => r.monthlyCost },
  { key: 'newestPush', label: 'Last push', value: (r) => r.newestPush },
  { key: 'policy', label: 'Policy', value: (r) => (r.installedPolicy ? 1 : 0) },
  { key: 'expiring', label: 'Would expire', value: (r) => r.plan.expiring },
  { key: 'bytesExpiring', label: 'Would free', value: (r) => r.plan.bytesExpiring },
  { key: 'savings', label: 'Saves / month', value: (r) => r.plan.monthlySavings },
];

const view = { sort: 'bytes', desc: true, filter: '' };

function card(label, value, sub) {
  return h('div', { class: 'card' }, h('div', { class: 'card-label' }, label),
    h('div', { class: 'card-value' }, value), h('div', { class: 'card-sub' }, sub || '\u00a0'));
}

function repoLink(r) {
  return `#/repo/${r.registry}/${encodeURIComponent(r.name)}`;
}

function renderTable(tbody, data) {
  clear(tbody);
  const column = COLUMNS.find((c) => c.key === view.sort);
  const needle = view.filter.toLowerCase();
  const rows = data.repositories.filter((r) => !needle || r.name.toLowerCase().includes(needle));
  rows.sort((a, b) => {
    const x = column.value(a);
    const y = column.value(b);
    const c = column.text ? String(x).localeCompare(String(y)) : x - y;
    return (view.desc ? -c : c) || a.name.localeCompare(b.name);
  });
  for (const r of rows) {
    tbody.append(h('tr', {},
      h('td', { class: 'name' }, h('a', { href: repoLink(r) },
        data.registries.length > 1 ? `${r.registryLabel}/${r.name}` : r.name)),
      h('td', { class: 'num' }, count(r.images)),
      h('td', { class: 'num' }, count(r.untagged)),
      h('td', { class: 'num' }, bytes(r.bytes)),
      h('td', { class: 'num' }, money(r.monthlyCost)),
      h('td', {}, time(r.newestPush)),
      h('td', {}, r.policyError ? h('span', { class: 'bad', title: r.policyError }, 'unreadable')
        : r.installedPolicy ? 'installed' : h('span', { class: 'muted' }, 'none')),
      h('td', { class: 'num' }, count(r.plan.expiring)),
      h('td', { class: 'num' }, bytes(r.plan.bytesExpiring)),
      h('td', { class: 'num' }, money(r.plan.monthlySavings))));
  }
  if (rows.length === 0) tbody.append(h('tr', {}, h('td', { colspan: COLUMNS.length, class: 'muted' },
    'No repository matches.')));
}

function header(data, tbody, thead) {
  clear(thead);
  const tr = h('tr');
  for (const c of COLUMNS) {
    const sorted = view.sort === c.key;
    tr.append(h('th', { scope: 'col', class: c.text ? '' : 'num',
      'aria-sort': sorted ? (view.desc ? 'descending' : 'ascending') : 'none' },
      h('button', { type: 'button', class: 'sort', dataset: { sort: c.key }, onclick: () => {
        if (view.sort === c.key) view.desc = !view.desc;
        else { view.sort = c.key; view.desc = !c.text; }
        header(data, tbody, thead);
        renderTable(tbody, data);
      } }, c.label, sorted ? (view.desc ? ' ▾' : ' ▴') : '')));
  }
  thead.append(tr);
}

async function searchImages(results, text) {
  clear(results);
  if (text.length < 2) return;
  try {
    const found = await get('/api/search', { q: text, limit: 20 });
    if (found.total === 0) {
      results.append(h('p', { class: 'muted' }, `No image has a tag or digest containing “${text}”.`));
      return;
    }
    results.append(h('p', {}, `${count(found.total)} images with a tag or digest containing “${text}”` +
      (found.total > found.hits.length ? ` (first ${found.hits.length})` : '') + ':'));
    const list = h('ul', { class: 'hits' });
    for (const hit of found.hits) {
      list.append(h('li', {}, h('a', { href: `#/repo/${hit.registry}/${encodeURIComponent(hit.repository)}` },
        hit.repository), ' ', h('code', {}, hit.tags.length ? hit.tags.join(', ') : shortDigest(hit.digest)),
        ' ', h('span', { class: 'muted' }, `${time(hit.pushedAt)} · ${bytes(hit.size)}`)));
    }
    results.append(list);
  } catch (e) {
    results.append(h('p', { class: 'error' }, e.message));
  }
}

export async function renderOverview(main, context) {
  const cards = h('div', { class: 'cards' });
  for (let i = 0; i < 5; i += 1) cards.append(card('…', '…'));
  const modeBox = h('div', { class: 'mode' });
  const charts = h('div', { class: 'charts' },
    h('figure', { class: 'chart-box' }, h('figcaption', {}, 'Storage by repository'), h('div', { class: 'chart-slot', id: 'chart-storage' })),
    h('figure', { class: 'chart-box' }, h('figcaption', {}, 'Images by age'), h('div', { class: 'chart-slot', id: 'chart-ages' })));
  const search = h('input', { type: 'search', id: 'overview-search', placeholder: 'Filter repositories; search tags and digests',
    'aria-label': 'Search repositories, tags and digests', value: view.filter });
  const results = h('div', { class: 'search-results', id: 'search-results' });
  const thead = h('thead');
  const tbody = h('tbody');
  const table = h('table', { class: 'grid', id: 'repositories' }, thead, tbody);
  const refresh = h('button', { type: 'button', id: 'refresh', title: 'List every registry again' }, 'List again');
  refresh.addEventListener('click', async () => {
    refresh.disabled = true;
    setStatus('Listing the registries again…');
    try {
      await post('/api/refresh');
      setStatus('');
      clear(main);
      renderOverview(main, context);
    } catch (e) {
      setStatus(e.message, 'error');
      refresh.disabled = false;
    }
  });
  main.append(h('h1', {}, 'Overview'), cards, modeBox, charts,
    h('div', { class: 'toolbar' }, search, refresh), results, h('div', { class: 'table-wrap' }, table));
  for (let i = 0; i < 8; i += 1) tbody.append(h('tr', { class: 'skeleton' }, h('td', { colspan: COLUMNS.length }, '\u00a0')));

  let data;
  try {
    data = await get('/api/overview');
  } catch (e) {
    setStatus(e.message, 'error');
    return;
  }
  const t = data.totals;
  clear(cards).append(
    card('Repositories', count(t.repositories), data.registries.map((r) => r.label).join(', ')),
    card('Images', count(t.images), `${count(data.repositories.reduce((n, r) => n + r.untagged, 0))} untagged`),
    card('Storage', bytes(t.bytes), `${money(t.monthlyCost)} / month at $${data.pricePerGbMonth}/GB`),
    card('Would free', bytes(t.plan.bytesExpiring), `${count(t.plan.expiring)} images expire, ${count(t.plan.transitioning)} archive`),
    card('Would save', money(t.plan.monthlySavings) + ' / month', `as of ${data.nowText.slice(0, 10)}`));

  clear(modeBox);
  const modeName = 'policy-mode';
  const radio = (value, label, enabled) => h('label', { class: enabled ? '' : 'muted' },
    h('input', { type: 'radio', name: modeName, value, checked: data.mode === value, disabled: !enabled,
      onchange: async () => {
        try {
          await post('/api/mode', { mode: value, text: data.chosenPolicy || '' });
          clear(main);
          renderOverview(main, context);
        } catch (e) { setStatus(e.message, 'error'); }
      } }), ' ', label);
  modeBox.append(h('span', { class: 'mode-label' }, 'Plan with: '),
    radio('installed', 'each repository’s installed policy', true), ' ',
    radio('chosen', 'the editor’s policy', data.chosenPolicy !== null),
    ...(data.readOnly ? [h('span', { class: 'badge' }, 'read-only snapshot')] : []));

  const storage = data.repositories.map((r) => ({ label: r.name, value: r.bytes, part: r.plan.bytesExpiring }))
    .sort((a, b) => b.value - a.value);
  clear(document.getElementById('chart-storage')).append(barChart({ title: 'Storage by repository; the darker part would be freed', rows: storage }));
  clear(document.getElementById('chart-ages')).append(histogram({ title: 'Images by age', buckets: data.ages }));

  header(data, tbody, thead);
  renderTable(tbody, data);
  const runSearch = debounce((text) => searchImages(results, text), 200);
  search.addEventListener('input', () => {
    view.filter = search.value.trim();
    renderTable(tbody, data);
    runSearch(view.filter);
  });
  if (view.filter) runSearch(view.filter);
  if (data.skipped.length) setStatus(`Skipped: ${data.skipped.map((s) => `${s.name} (${s.reason})`).join('; ')}`, 'warn');
}
