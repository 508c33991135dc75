// The journal: recent runs (what each deleted, failed, freed) and their records, filterable by
// repository, outcome, run and text. Read through the application layer, like `journal show`.
import { get } from './api.js';
import { h, clear, setStatus, debounce } from './dom.js';
import { bytes, count, time, shortDigest } from './format.js';

export function renderJournal(main) {
  const filter = { repository: '', outcome: '', run: '', q: '' };
  const repo = h('input', { id: 'journal-repo', placeholder: 'repository', 'aria-label': 'Repository' });
  const outcome = h('select', { id: 'journal-outcome', 'aria-label': 'Outcome' },
    ...[['', 'any record'], ['intent', 'intents'], ['deleted', 'deleted'], ['archived', 'archived'], ['restored', 'restored'],
      ['failed', 'failed'], ['skipped', 'skipped'],
      ['gone', 'gone'], ['interrupted', 'interrupted']].map(([v, l]) => h('option', { value: v }, l)));
  const text = h('input', { type: 'search', id: 'journal-q', placeholder: 'digest, tag or reason', 'aria-label': 'Text' });
  const runs = h('div', { id: 'journal-runs' });
  const info = h('p', { class: 'muted', id: 'journal-info' }, '\u00a0');
  const tbody = h('tbody');
  main.append(h('h1', {}, 'Journal'), info, h('h2', {}, 'Recent runs'), runs,
    h('h2', {}, 'Records'),
    h('form', { class: 'toolbar', onsubmit: (e) => e.preventDefault() }, repo, outcome, text),
    h('div', { class: 'table-wrap' }, h('table', { class: 'grid compact', id: 'journal-records' },
      h('thead', {}, h('tr', {}, ['Time', 'Kind', 'Action', 'Outcome', 'Repository', 'Digest', 'Tags', 'Rule', 'Size', 'Reason'].map((c) => h('th', { scope: 'col' }, c)))),
      tbody)));

  async function load() {
    let data;
    try {
      data = await get('/api/journal', filter);
    } catch (e) {
      setStatus(e.message, 'error');
      return;
    }
    info.textContent = data.exists ? `${data.path}${data.badLines ? ` (${data.badLines} unreadable lines skipped)` : ''}` :
      `No journal at ${data.path} yet: nothing has been deleted with it.`;
    clear(runs);
    const table = h('table', { class: 'grid compact' }, h('thead', {}, h('tr', {}, ['Run', 'Started', 'Deleted', 'Failed', 'Other', 'Freed', 'Repositories'].map((c) => h('th', { scope: 'col' }, c)))));
    const body = h('tbody');
    for (const r of data.runs.slice(0, 20)) {
      body.append(h('tr', { class: filter.run === r.id ? 'current' : '' },
        h('td', {}, h('button', { type: 'button', class: 'link', onclick: () => { filter.run = filter.run === r.id ? '' : r.id; load(); } }, r.id)),
        h('td', {}, time(r.started)), h('td', { class: 'num' }, count(r.deleted)), h('td', { class: 'num' }, count(r.failed)),
        h('td', { class: 'num' }, count(r.other)), h('td', { class: 'num' }, bytes(r.bytes)), h('td', {}, r.repositories.join(', '))));
    }
    if (!data.runs.length) body.append(h('tr', {}, h('td', { colspan: 7, class: 'muted' }, 'No runs yet.')));
    table.append(body);
    runs.append(table);
    clear(tbody);
    for (const e of data.entries) {
      tbody.append(h('tr', { dataset: { digest: e.digest, outcome: e.outcome } }, h('td', {}, time(e.time)), h('td', {}, e.kind), h('td', {}, e.action),
        h('td', {}, h('span', { class: `result ${e.outcome}` }, e.outcome || '–')), h('td', {}, e.repository),
        h('td', {}, h('code', { title: e.digest }, shortDigest(e.digest))), h('td', {}, e.tags.join(', ')),
        h('td', { class: 'num' }, e.rule === null ? '–' : e.rule), h('td', { class: 'num' }, e.size === null ? '–' : bytes(e.size)),
        h('td', {}, e.errorCode ? `${e.errorCode}: ${e.reason}` : e.reason)));
    }
    if (!data.entries.length) tbody.append(h('tr', {}, h('td', { colspan: 10, class: 'muted' }, 'No record matches.')));
  }
  const refilter = debounce(() => {
    filter.repository = repo.value.trim();
    filter.outcome = outcome.value;
    filter.q = text.value.trim();
    load();
  }, 200);
  repo.addEventListener('input', refilter);
  text.addEventListener('input', refilter);
  outcome.addEventListener('change', refilter);
  load();
}
