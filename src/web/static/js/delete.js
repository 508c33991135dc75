// Deleting the selection: first the impact, computed by the server with the same code that will
// delete (every tag that goes with a digest, index children and referrers that follow, children
// left without their index, what the protections keep), then type-to-confirm, then the deletion
// with its progress and the result per image. The server refuses to delete anything other than
// the impact shown here (if the registry changed meanwhile, it asks for a new look).
import { get, post } from './api.js';
import { h, clear } from './dom.js';
import { bytes, shortDigest, plural } from './format.js';

const $ = (id) => document.getElementById(id);

function itemLine(item) {
  const name = item.tags.length ? item.tags.join(', ') : 'untagged';
  const what = item.tag ? `untag ${item.tag}` : `${shortDigest(item.digest)} (${name})`;
  // A selected image's reason is only "named by --digest": the selection itself.
  return h('li', { dataset: { digest: item.digest } }, h('strong', {}, what), ' ', bytes(item.freesImage ? item.size : 0),
    item.selected ? null : h('span', { class: 'follows' }, ' — goes with the selection: '),
    item.selected ? null : h('span', { class: 'muted' }, item.reason));
}

function renderImpact(box, impact) {
  clear(box);
  const selected = impact.items.filter((i) => i.selected);
  const follows = impact.items.filter((i) => !i.selected);
  box.append(h('p', { class: 'impact-total', id: 'impact-total' },
    impact.count === 0 ? 'Nothing would be deleted.' :
      `${plural(impact.count, 'item', 'items')} will be deleted, freeing up to ${bytes(impact.bytes)}; ` +
      `${plural(impact.tagsRemoved, 'tag goes', 'tags go')} with them.`));
  if (selected.length) box.append(h('h3', {}, 'Selected'), h('ul', { class: 'items' }, selected.map(itemLine)));
  if (follows.length) box.append(h('h3', {}, 'Goes with them (index children, signatures, SBOMs)'), h('ul', { class: 'items' }, follows.map(itemLine)));
  if (impact.kept.length) {
    box.append(h('h3', { class: 'kept-title' }, 'Kept by the protections (not deleted)'),
      h('ul', { class: 'items kept', id: 'impact-kept' }, impact.kept.map((k) => h('li', { dataset: { digest: k.digest } },
        h('strong', {}, shortDigest(k.digest)), ' — ', k.why))));
  }
  if (impact.orphaned.length) {
    box.append(h('h3', {}, 'Left without their index'), h('ul', { class: 'items' }, impact.orphaned.map((o) =>
      h('li', {}, h('strong', {}, shortDigest(o.digest)), ` stays; its index ${o.indexTags.join(', ') || shortDigest(o.index)} goes`))));
  }
  if (impact.untaggedKept) box.append(h('p', { class: 'muted' }, `${plural(impact.untaggedKept, 'untagged image stays', 'untagged images stay')}: referenced by images that stay.`));
  if (impact.notFound.length) box.append(h('p', { class: 'warn' }, `Not found (already gone?): ${impact.notFound.join(', ')}`));
}

function renderResult(box, result) {
  clear(box);
  if (result.error) box.append(h('p', { class: 'error', id: 'delete-error' }, result.error));
  box.append(h('p', { class: 'impact-total', id: 'delete-summary' },
    `Deleted ${result.deleted}, already gone ${result.gone}, skipped ${result.skipped}, failed ${result.failed}; freed ${bytes(result.bytesFreed)}.`));
  if (result.outcomes.length) {
    box.append(h('ul', { class: 'items', id: 'delete-outcomes' }, result.outcomes.map((o) =>
      h('li', { dataset: { digest: o.digest, result: o.result } }, h('span', { class: `result ${o.result}` }, o.result), ' ',
        h('strong', {}, o.tag ? `tag ${o.tag}` : shortDigest(o.digest)), ' ', o.tags.join(', '),
        o.detail ? h('span', { class: 'muted' }, ` — ${o.code ? o.code + ': ' : ''}${o.detail}`) : null))));
  }
  if (result.kept.length) {
    box.append(h('h3', {}, 'Kept'), h('ul', { class: 'items kept', id: 'delete-kept' }, result.kept.map((k) =>
      h('li', { dataset: { digest: k.digest, result: 'kept' } }, h('span', { class: 'result kept' }, 'kept'), ' ',
        h('strong', {}, shortDigest(k.digest)), ' — ', k.why))));
  }
}

export async function openDeleteDialog({ registry, repository, digests, onDone }) {
  const dialog = $('delete-dialog');
  const impactBox = $('delete-impact');
  const resultBox = $('delete-result');
  const confirm = $('delete-confirm');
  const go = $('delete-go');
  const cancel = $('delete-cancel');
  const progress = $('delete-progress');
  clear(resultBox);
  clear(impactBox).append(h('p', { class: 'muted' }, 'Computing the impact…'));
  $('delete-confirm-name').textContent = repository;
  $('delete-confirm-row').hidden = false;
  progress.hidden = true;
  confirm.value = '';
  confirm.disabled = false;
  go.disabled = true;
  go.textContent = 'Delete';
  cancel.textContent = 'Cancel';
  let finished = false;
  let impact = null;
  const close = () => {
    dialog.close();
    if (finished) onDone();
  };
  cancel.onclick = close;
  dialog.oncancel = (e) => { e.preventDefault(); close(); };
  confirm.oninput = () => { go.disabled = !impact || impact.count === 0 || confirm.value !== repository; };
  confirm.onkeydown = (e) => { if (e.key === 'Enter') { e.preventDefault(); if (!go.disabled) go.click(); } };
  dialog.showModal();
  try {
    impact = await post('/api/delete/preview', { registry, repository, digests });
    renderImpact(impactBox, impact);
    confirm.focus();
  } catch (e) {
    clear(impactBox).append(h('p', { class: 'error' }, e.message));
    return;
  }
  go.onclick = async () => {
    go.disabled = true;
    confirm.disabled = true;
    progress.hidden = false;
    $('delete-progress-text').textContent = 'Deleting…';
    $('delete-progress-fill').style.width = '0%';
    try {
      const started = await post('/api/delete', { registry, repository, digests, confirm: confirm.value,
        expectItems: impact.count, expectBytes: impact.bytes });
      let job;
      for (;;) {
        job = await get(`/api/jobs/${started.job}`);
        const pct = job.itemsTotal ? Math.round((100 * job.itemsDone) / job.itemsTotal) : 0;
        $('delete-progress-fill').style.width = `${pct}%`;
        $('delete-progress-text').textContent = job.done ? 'Done' : `Deleting… ${job.itemsDone}/${job.itemsTotal || impact.count}`;
        if (job.done) break;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      $('delete-progress-fill').style.width = '100%';
      renderResult(resultBox, job.result);
      $('delete-confirm-row').hidden = true;
      finished = true;
      cancel.textContent = 'Close';
      cancel.focus();
    } catch (e) {
      resultBox.append(h('p', { class: 'error' }, e.message));
      finished = true;
      cancel.textContent = 'Close';
    }
  };
}
