// The policy editor: lifecycle policy JSON validated as you type (the messages of `policy
// validate`, with line and column, marked in the gutter), an instant preview on the selected
// repositories (the plan core, on what was listed), the diff against what is installed, and
// installing it (`policy put`) after a confirmation.
import { get, post } from './api.js';
import { h, clear, setStatus, debounce } from './dom.js';
import { bytes, money, count, time, shortDigest, plural } from './format.js';

const DRAFT = 'regsweep-policy-draft';
const TEMPLATE = `{
  "rules": [
    {
      "rulePriority": 1,
      "description": "Expire untagged images 14 days after push",
      "selection": {
        "tagStatus": "untagged",
        "countType": "sinceImagePushed",
        "countUnit": "days",
        "countNumber": 14
      },
      "action": { "type": "expire" }
    }
  ]
}
`;

export async function renderPolicy(main, context) {
  const editor = h('textarea', { id: 'policy-text', spellcheck: 'false', 'aria-label': 'Lifecycle policy JSON',
    'aria-describedby': 'policy-problems', wrap: 'off' });
  const gutter = h('pre', { class: 'gutter', id: 'policy-gutter', 'aria-hidden': 'true' });
  const problems = h('div', { id: 'policy-problems', class: 'problems', 'aria-live': 'polite' }, '\u00a0');
  const rules = h('ol', { id: 'policy-rules', class: 'rules' });
  const repoFilter = h('input', { type: 'search', placeholder: 'filter', 'aria-label': 'Filter repositories', id: 'policy-repo-filter' });
  const repoList = h('div', { class: 'repo-list', id: 'policy-repos', role: 'group', 'aria-label': 'Repositories to preview' });
  const previewBtn = h('button', { type: 'button', id: 'policy-preview' }, 'Preview');
  const diffBtn = h('button', { type: 'button', id: 'policy-diff' }, 'Diff with installed');
  const useBtn = h('button', { type: 'button', id: 'policy-use' }, 'Use for the views');
  const installBtn = h('button', { type: 'button', id: 'policy-install', class: 'danger', disabled: context.readOnly },
    context.readOnly ? 'Install (read-only snapshot)' : 'Install…');
  const output = h('div', { id: 'policy-output', class: 'policy-output' });
  main.append(h('h1', {}, 'Policy editor'),
    h('div', { class: 'policy-layout' },
      h('section', { class: 'policy-edit', 'aria-label': 'Policy' },
        h('div', { class: 'editor' }, gutter, editor), problems, h('h2', {}, 'Rules'), rules),
      h('section', { class: 'policy-side', 'aria-label': 'Repositories' },
        h('h2', {}, 'Repositories'), h('p', { class: 'muted' }, 'None ticked: all of them.'), repoFilter, repoList,
        h('div', { class: 'buttons' }, previewBtn, diffBtn, useBtn, installBtn))),
    output);

  let overview = null;
  try {
    overview = await get('/api/overview');
  } catch (e) {
    setStatus(e.message, 'error');
    return;
  }
  editor.value = sessionStorage.getItem(DRAFT) || overview.chosenPolicy || TEMPLATE;
  const ticked = new Set();
  const renderRepos = () => {
    clear(repoList);
    const needle = repoFilter.value.trim().toLowerCase();
    for (const r of overview.repositories) {
      if (needle && !r.name.toLowerCase().includes(needle)) continue;
      const key = `${r.registry}/${r.name}`;
      repoList.append(h('label', {}, h('input', { type: 'checkbox', checked: ticked.has(key), dataset: { repo: r.name },
        onchange: (e) => { if (e.target.checked) ticked.add(key); else ticked.delete(key); schedulePreview(); } }),
        ' ', r.name, h('span', { class: 'muted' }, ` ${count(r.images)}`)));
    }
  };
  repoFilter.addEventListener('input', renderRepos);
  renderRepos();
  const selected = () => [...ticked].map((k) => {
    const i = k.indexOf('/');
    return { registry: Number(k.slice(0, i)), name: k.slice(i + 1) };
  });

  let valid = false;
  function drawGutter(bad) {
    const lines = editor.value.split('\n').length;
    clear(gutter);
    for (let i = 1; i <= lines; i += 1) {
      gutter.append(h('span', { class: bad.has(i) ? 'err' : '', dataset: { line: i } }, String(i)), '\n');
    }
    gutter.scrollTop = editor.scrollTop;
  }
  editor.addEventListener('scroll', () => { gutter.scrollTop = editor.scrollTop; });

  function goTo(line, column) {
    const lines = editor.value.split('\n');
    let pos = 0;
    for (let i = 0; i < line - 1 && i < lines.length; i += 1) pos += lines[i].length + 1;
    pos += Math.max(0, column - 1);
    editor.focus();
    editor.setSelectionRange(pos, pos);
    // Bring the line into view (a textarea does not always scroll to a caret set by script).
    const lineHeight = parseFloat(getComputedStyle(editor).lineHeight) || 19.5;
    editor.scrollTop = Math.max(0, (line - 6) * lineHeight);
    gutter.scrollTop = editor.scrollTop;
  }

  async function validate() {
    sessionStorage.setItem(DRAFT, editor.value);
    let answer;
    try {
      answer = await post('/api/policy/validate', { text: editor.value });
    } catch (e) {
      setStatus(e.message, 'error');
      return;
    }
    valid = answer.valid;
    const bad = new Set(answer.problems.map((p) => p.line).filter((l) => l > 0));
    drawGutter(bad);
    clear(problems);
    clear(rules);
    if (answer.valid) {
      problems.append(h('span', { class: 'ok', id: 'policy-valid' }, '✓ Valid: ECR would accept this policy.'));
      for (const r of answer.rules) rules.append(h('li', {}, r));
    } else {
      const list = h('ul', { class: 'problem-list' });
      for (const p of answer.problems) {
        list.append(h('li', { dataset: { line: p.line, column: p.column } },
          p.line ? h('button', { type: 'button', class: 'link', onclick: () => goTo(p.line, p.column) }, `line ${p.line}, column ${p.column}`) : 'policy',
          ': ', p.message));
      }
      problems.append(list);
    }
    previewBtn.disabled = diffBtn.disabled = useBtn.disabled = !valid;
    installBtn.disabled = !valid || context.readOnly;
    if (valid) schedulePreview();
  }

  async function preview() {
    if (!valid) return;
    try {
      const answer = await post('/api/policy/preview', { text: editor.value, repositories: selected() });
      const t = answer.totals;
      clear(output).append(h('h2', {}, 'Preview'),
        h('div', { class: 'cards', id: 'preview-totals', dataset: { images: t.images, expiring: t.expiring, transitioning: t.transitioning, kept: t.kept, bytes: t.bytesExpiring } },
          h('div', { class: 'card' }, h('div', { class: 'card-label' }, 'Images'), h('div', { class: 'card-value' }, count(t.images)), h('div', { class: 'card-sub' }, `${count(t.repositories)} repositories`)),
          h('div', { class: 'card' }, h('div', { class: 'card-label' }, 'Would expire'), h('div', { class: 'card-value', id: 'preview-expiring' }, count(t.expiring)), h('div', { class: 'card-sub' }, bytes(t.bytesExpiring))),
          h('div', { class: 'card' }, h('div', { class: 'card-label' }, 'Would archive'), h('div', { class: 'card-value' }, count(t.transitioning)), h('div', { class: 'card-sub' }, bytes(t.bytesTransitioning))),
          h('div', { class: 'card' }, h('div', { class: 'card-label' }, 'Kept'), h('div', { class: 'card-value' }, count(t.kept)), h('div', { class: 'card-sub' }, '\u00a0')),
          h('div', { class: 'card' }, h('div', { class: 'card-label' }, 'Saves'), h('div', { class: 'card-value' }, money(t.monthlySavings)), h('div', { class: 'card-sub' }, 'per month'))),
        h('table', { class: 'grid compact' }, h('thead', {}, h('tr', {}, ['Repository', 'Images', 'Expire', 'Archive', 'Frees', 'Saves / month'].map((c, i) => h('th', { scope: 'col', class: i ? 'num' : '' }, c)))),
          h('tbody', {}, answer.repositories.map((r) => h('tr', {}, h('td', {}, r.name), h('td', { class: 'num' }, count(r.totals.images)),
            h('td', { class: 'num' }, count(r.totals.expiring)), h('td', { class: 'num' }, count(r.totals.transitioning)),
            h('td', { class: 'num' }, bytes(r.totals.bytesExpiring)), h('td', { class: 'num' }, money(r.totals.monthlySavings)))))),
        h('h3', {}, `Images that change${answer.changed > answer.images.length ? ` (first ${answer.images.length} of ${count(answer.changed)})` : ''}`),
        h('table', { class: 'grid compact' }, h('thead', {}, h('tr', {}, ['Repository', 'Tags', 'Pushed', 'Size', 'Verdict'].map((c) => h('th', { scope: 'col', class: c === 'Size' ? 'num' : '' }, c)))),
          h('tbody', {}, answer.images.map((i) => h('tr', {}, h('td', {}, i.repository),
            h('td', {}, i.tags.length ? i.tags.join(', ') : shortDigest(i.digest)), h('td', { class: 'nowrap' }, time(i.pushedAt)),
            h('td', { class: 'num nowrap' }, bytes(i.size)), h('td', {}, h('span', { class: `verdict-badge ${i.action}` }, i.action === 'transition' ? 'archive' : i.action), ' ', h('span', { class: 'reason' }, i.reason)))))));
    } catch (e) {
      setStatus(e.message, 'error');
    }
  }
  const schedulePreview = debounce(preview, 300);

  async function diff() {
    try {
      const answer = await post('/api/policy/diff', { text: editor.value, repositories: selected() });
      clear(output).append(h('h2', {}, 'Diff against the installed policies'), diffList(answer.results));
    } catch (e) { setStatus(e.message, 'error'); }
  }

  function diffList(results) {
    return h('ul', { class: 'diff', id: 'policy-diff-list' }, results.map((r) => h('li', { dataset: { change: r.change } },
      h('strong', {}, r.repository || '(registry)'), ' ', h('span', { class: `change ${r.change}` }, r.outcome || r.change),
      r.error ? h('span', { class: 'error' }, ' ' + r.error) : null,
      r.diff && r.diff.length ? h('pre', {}, r.diff.map((l) => h('span', { class: l.startsWith('+') ? 'add' : l.startsWith('-') ? 'del' : '' }, l + '\n'))) : null)));
  }

  async function install() {
    const dialog = document.getElementById('install-dialog');
    const body = document.getElementById('install-body');
    clear(body).append(h('p', { class: 'muted' }, 'Comparing with what is installed…'));
    dialog.showModal();
    let answer;
    try {
      answer = await post('/api/policy/diff', { text: editor.value, repositories: selected() });
    } catch (e) {
      clear(body).append(h('p', { class: 'error' }, e.message));
      return;
    }
    const changing = answer.results.filter((r) => r.change !== 'unchanged');
    clear(body).append(h('p', {}, `${plural(changing.length, 'repository changes', 'repositories change')}; ` +
      `${answer.results.length - changing.length} already have this policy.`), diffList(changing));
    const go = document.getElementById('install-go');
    go.disabled = changing.length === 0;
    document.getElementById('install-cancel').onclick = () => dialog.close();
    go.onclick = async () => {
      go.disabled = true;
      try {
        const result = await post('/api/policy/put', { text: editor.value, repositories: selected(), confirm: 'install' });
        clear(body).append(h('h3', {}, 'Installed'), diffList(result.results));
      } catch (e) {
        clear(body).append(h('p', { class: 'error' }, e.message), ...(e.body && e.body.results ? [diffList(e.body.results)] : []));
      }
    };
  }

  async function useForViews() {
    try {
      await post('/api/mode', { mode: 'chosen', text: editor.value });
      setStatus('The overview and repository views now plan with this policy.');
    } catch (e) { setStatus(e.message, 'error'); }
  }

  previewBtn.addEventListener('click', preview);
  diffBtn.addEventListener('click', diff);
  installBtn.addEventListener('click', install);
  useBtn.addEventListener('click', useForViews);
  editor.addEventListener('input', debounce(validate, 200));
  editor.addEventListener('keydown', (e) => {
    // Tab indents inside the editor; Escape then Tab leaves it (keyboard users are never trapped).
    if (e.key === 'Tab' && !e.shiftKey && !editor.dataset.escaped) {
      e.preventDefault();
      editor.setRangeText('  ', editor.selectionStart, editor.selectionEnd, 'end');
      editor.dispatchEvent(new Event('input'));
    } else if (e.key === 'Escape') {
      editor.dataset.escaped = '1';
    } else {
      delete editor.dataset.escaped;
    }
  });
  drawGutter(new Set());
  validate();
}
