// One repository: every image with its verdict and why, sorted and filtered by the server (one
// page at a time, so 20,000 images stay fast), index children and referrers nested under their
// image, and a selection (checkboxes, shift-click ranges, all matching the filter) to delete.
import { get } from './api.js';
import { h, clear, setStatus, debounce } from './dom.js';
import { bytes, money, count, time, shortDigest, plural } from './format.js';
import { openDeleteDialog } from './delete.js';

const PAGE = 100;
const SORTS = { tags: 'Tags', digest: 'Digest', pushed: 'Pushed', pulled: 'Last pulled', size: 'Size', action: 'Verdict' };

function mediaLabel(row) {
  const m = row.mediaType || '';
  if (m.includes('index') || m.includes('manifest.list')) return 'index';
  if (m.includes('docker')) return 'docker v2';
  if (m.includes('oci')) return 'oci';
  return m || '–';
}

export function renderRepository(main, registry, name, context) {
  const st = {
    sort: 'pushed', order: 'desc', tag: '', untagged: false, olderThan: '', status: '', q: '',
    offset: 0, selected: new Map(), last: null, rows: [], version: 0, matched: 0,
  };
  const summary = h('p', { class: 'summary', id: 'repo-summary' }, '\u00a0');
  const tag = h('input', { id: 'filter-tag', placeholder: 'v1.*', 'aria-label': 'Tag glob', size: 10 });
  const untagged = h('input', { type: 'checkbox', id: 'filter-untagged' });
  const older = h('input', { id: 'filter-older', placeholder: '30d', 'aria-label': 'Older than', size: 5 });
  const status = h('select', { id: 'filter-status', 'aria-label': 'Status' },
    ...[['', 'any verdict'], ['expire', 'would expire'], ['transition', 'would archive'], ['keep', 'kept'],
      ['protected', 'protected'], ['archived', 'archived']].map(([v, l]) => h('option', { value: v }, l)));
  const text = h('input', { type: 'search', id: 'filter-q', placeholder: 'tag or digest', 'aria-label': 'Tag or digest contains' });
  const filters = h('form', { class: 'toolbar filters', onsubmit: (e) => e.preventDefault() },
    h('label', {}, 'Tag ', tag), h('label', {}, untagged, ' untagged'), h('label', {}, 'older than ', older),
    h('label', {}, 'verdict ', status), h('label', {}, 'search ', text));
  const selInfo = h('span', { id: 'selection-info', class: 'selection-info' }, 'Nothing selected');
  const selectAll = h('button', { type: 'button', id: 'select-all-matching' }, 'Select all matching');
  const clearSel = h('button', { type: 'button', id: 'clear-selection' }, 'Clear');
  const del = h('button', { type: 'button', id: 'delete-selected', class: 'danger', disabled: true },
    context.readOnly ? 'Delete (read-only snapshot)' : 'Delete selected…');
  const selection = h('div', { class: 'toolbar selection' }, selInfo, selectAll, clearSel, del);
  const thead = h('thead');
  const tbody = h('tbody');
  const table = h('table', { class: 'grid images', id: 'images', 'data-version': '0' }, thead, tbody);
  const pager = h('div', { class: 'pager' });
  main.append(h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' }, h('a', { href: '#/' }, 'Overview'), ' › ', name),
    h('h1', {}, name), summary, filters, selection, h('div', { class: 'table-wrap' }, table), pager);
  for (let i = 0; i < 12; i += 1) tbody.append(h('tr', { class: 'skeleton' }, h('td', { colspan: 10 }, '\u00a0')));

  function updateSelection() {
    let total = 0;
    for (const size of st.selected.values()) total += size;
    selInfo.textContent = st.selected.size ? `${plural(st.selected.size, 'image', 'images')} selected (${bytes(total)})` : 'Nothing selected';
    del.disabled = context.readOnly || st.selected.size === 0;
  }

  function renderHead() {
    clear(thead);
    const cols = [h('th', { scope: 'col', class: 'check' }, h('span', { class: 'sr' }, 'Select'))];
    const add = (key, label, cls) => {
      if (!SORTS[key]) {
        cols.push(h('th', { scope: 'col', class: cls || '' }, label));
        return;
      }
      const sorted = st.sort === key;
      cols.push(h('th', { scope: 'col', class: cls || '', 'aria-sort': sorted ? (st.order === 'desc' ? 'descending' : 'ascending') : 'none' },
        h('button', { type: 'button', class: 'sort', dataset: { sort: key }, onclick: () => {
          if (st.sort === key) st.order = st.order === 'desc' ? 'asc' : 'desc';
          else { st.sort = key; st.order = key === 'tags' || key === 'digest' ? 'asc' : 'desc'; }
          st.offset = 0;
          load();
        } }, label, sorted ? (st.order === 'desc' ? ' ▾' : ' ▴') : '')));
    };
    add('tags', 'Tags', 'tags');
    add('digest', 'Digest', 'digest');
    add('kind', 'Kind', 'kind');
    add('pushed', 'Pushed', 'time');
    add('pulled', 'Last pulled', 'time');
    add('size', 'Size', 'num');
    add('storage', 'Class', 'storage');
    add('media', 'Media', 'media');
    add('action', 'Verdict', 'verdict');
    thead.append(h('tr', {}, cols));
  }

  function renderRows(data) {
    clear(tbody);
    st.rows = data.rows;
    data.rows.forEach((row, i) => {
      const label = row.tags.length ? row.tags.join(', ') : shortDigest(row.digest);
      const box = h('input', { type: 'checkbox', class: 'select', 'aria-label': `Select ${label}`,
        checked: st.selected.has(row.digest), dataset: { index: i } });
      box.addEventListener('click', (event) => {
        const on = box.checked;
        if (event.shiftKey && st.last !== null) {
          const [a, b] = [Math.min(st.last, i), Math.max(st.last, i)];
          for (let k = a; k <= b; k += 1) {
            const r = st.rows[k];
            if (on) st.selected.set(r.digest, r.size); else st.selected.delete(r.digest);
            tbody.querySelectorAll('input.select')[k].checked = on;
          }
        } else if (on) st.selected.set(row.digest, row.size);
        else st.selected.delete(row.digest);
        st.last = i;
        updateSelection();
      });
      const indent = row.depth ? { style: { paddingLeft: `${0.4 + row.depth * 1.2}rem` } } : {};
      tbody.append(h('tr', { class: `row-${row.action}${row.depth ? ' nested' : ''}`, dataset: { digest: row.digest, depth: row.depth } },
        h('td', { class: 'check' }, box),
        h('td', Object.assign({ class: 'tags' }, indent),
          row.depth ? h('span', { class: 'nest', 'aria-hidden': 'true' }, '└ ') : null,
          row.tags.length ? row.tags.map((t) => h('span', { class: 'tag' }, t)) : h('span', { class: 'muted' }, 'untagged'),
          row.relation ? h('div', { class: 'relation' }, row.relation) : null,
          row.children ? h('div', { class: 'relation' }, `${plural(row.children, 'image', 'images')} under it`) : null),
        h('td', { class: 'digest' }, h('code', { title: row.digest }, shortDigest(row.digest))),
        h('td', {}, row.kind),
        h('td', { class: 'time' }, time(row.pushedAt)),
        h('td', { class: 'time' }, time(row.lastPulledAt)),
        h('td', { class: 'num' }, bytes(row.size)),
        h('td', {}, row.storageClass),
        h('td', { title: `${row.mediaType}${row.artifactType ? '\n' + row.artifactType : ''}` }, mediaLabel(row)),
        h('td', { class: 'verdict' }, h('span', { class: `verdict-badge ${row.action}` }, row.action === 'transition' ? 'archive' : row.action),
          row.protected ? h('span', { class: 'badge protected' }, 'protected') : null,
          h('div', { class: 'reason' }, row.reason))));
    });
    if (data.rows.length === 0) tbody.append(h('tr', {}, h('td', { colspan: 10, class: 'muted' }, 'No image matches the filter.')));
    st.version += 1;
    table.dataset.version = String(st.version);
  }

  function renderPager(data) {
    clear(pager);
    const from = data.topLevel ? data.offset + 1 : 0;
    const to = Math.min(data.offset + data.limit, data.topLevel);
    pager.append(
      h('button', { type: 'button', id: 'page-prev', disabled: data.offset === 0, onclick: () => { st.offset = Math.max(0, st.offset - PAGE); load(); } }, '‹ Previous'),
      h('span', { id: 'page-info' }, `${count(from)}–${count(to)} of ${count(data.topLevel)} (${plural(data.matched, 'image', 'images')} match, ${bytes(data.matchedBytes)})`),
      h('button', { type: 'button', id: 'page-next', disabled: to >= data.topLevel, onclick: () => { st.offset += PAGE; load(); } }, 'Next ›'));
  }

  function params() {
    const p = { registry, repository: name, sort: st.sort, order: st.order, offset: st.offset, limit: PAGE };
    if (st.tag) p.tag = st.tag;
    if (st.untagged) p.untagged = '1';
    if (st.olderThan) p.olderThan = st.olderThan;
    if (st.status) p.status = st.status;
    if (st.q) p.q = st.q;
    return p;
  }

  let pending = 0;
  async function load() {
    const mine = ++pending;
    renderHead();
    table.setAttribute('aria-busy', 'true');
    try {
      const data = await get('/api/images', params());
      if (mine !== pending) return;
      const r = data.repository;
      summary.textContent = `${plural(r.images, 'image', 'images')} · ${bytes(r.bytes)} · ${money(r.monthlyCost)} / month · ` +
        `${data.mode === 'chosen' ? 'the editor’s policy' : (r.installedPolicy ? 'installed policy' : 'no policy installed')}: ` +
        `${count(r.plan.expiring)} would expire (${bytes(r.plan.bytesExpiring)}), ${count(r.plan.transitioning)} archive`;
      st.matched = data.matched;
      renderRows(data);
      renderPager(data);
      st.last = null;
      setStatus('');
    } catch (e) {
      setStatus(e.message, 'error');
    } finally {
      if (mine === pending) table.removeAttribute('aria-busy');
    }
  }

  const refilter = debounce(() => {
    st.tag = tag.value.trim();
    st.untagged = untagged.checked;
    st.olderThan = older.value.trim();
    st.status = status.value;
    st.q = text.value.trim();
    st.offset = 0;
    load();
  }, 150);
  for (const el of [tag, older, text]) el.addEventListener('input', refilter);
  for (const el of [untagged, status]) el.addEventListener('change', refilter);

  selectAll.addEventListener('click', async () => {
    try {
      const all = await get('/api/images', Object.assign(params(), { digestsOnly: '1', offset: 0 }));
      // Sizes of rows not on this page are unknown here: the impact dialog shows the real bytes.
      const onPage = new Map(st.rows.map((r) => [r.digest, r.size]));
      for (const d of all.digests) st.selected.set(d, onPage.get(d) || 0);
      for (const box of tbody.querySelectorAll('input.select')) box.checked = true;
      updateSelection();
      selInfo.textContent = `${plural(st.selected.size, 'image', 'images')} selected`;
    } catch (e) { setStatus(e.message, 'error'); }
  });
  clearSel.addEventListener('click', () => {
    st.selected.clear();
    for (const box of tbody.querySelectorAll('input.select')) box.checked = false;
    updateSelection();
  });
  del.addEventListener('click', () => {
    openDeleteDialog({ registry, repository: name, digests: [...st.selected.keys()], onDone: () => {
      st.selected.clear();
      updateSelection();
      load();
    } });
  });
  updateSelection();
  load();
}
