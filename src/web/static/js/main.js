// The page: a hash router over four views. Data is loaded by the server in the background; until
// it is, the views show their skeletons (fixed sizes: nothing moves when the data arrives).
import { takeToken, get } from './api.js';
import { h, clear, setStatus } from './dom.js';
import { renderOverview } from './overview.js';
import { renderRepository } from './repository.js';
import { renderPolicy } from './policy.js';
import { renderJournal } from './journal.js';

const state = { status: null };

async function waitUntilLoaded() {
  for (;;) {
    const status = await get('/api/status');
    state.status = status;
    document.getElementById('source').textContent = status.source;
    if (status.loaded) {
      setStatus(status.notes.length ? status.notes.join(' · ') : '', status.notes.length ? 'warn' : '');
      return status;
    }
    setStatus(`Listing the registries… ${status.listed}/${status.toList || '?'} repositories`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function route() {
  const hash = location.hash || '#/';
  const main = document.getElementById('main');
  const parts = hash.slice(2).split('/');
  let view = 'overview';
  if (parts[0] === 'repo') view = 'repository';
  else if (parts[0] === 'policy') view = 'policy';
  else if (parts[0] === 'journal') view = 'journal';
  for (const link of document.querySelectorAll('[data-nav]')) {
    if (link.dataset.nav === view || (view === 'repository' && link.dataset.nav === 'overview'))
      link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  clear(main);
  const context = { readOnly: state.status ? state.status.readOnly : true };
  if (view === 'repository') {
    const registry = Number(parts[1]);
    const name = decodeURIComponent(parts.slice(2).join('/'));
    renderRepository(main, registry, name, context);
  } else if (view === 'policy') {
    renderPolicy(main, context);
  } else if (view === 'journal') {
    renderJournal(main, context);
  } else {
    renderOverview(main, context);
  }
}

async function start() {
  const token = takeToken();
  const main = document.getElementById('main');
  if (!token) {
    main.append(h('p', { class: 'error' },
      'No token: open the URL that `regsweep ui` printed (it ends with #token=…).'));
    return;
  }
  try {
    await waitUntilLoaded();
  } catch (e) {
    main.append(h('p', { class: 'error' }, `Cannot reach regsweep: ${e.message}`));
    return;
  }
  window.addEventListener('hashchange', route);
  route();
}

start();
