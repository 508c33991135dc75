// Browser tests of `regsweep ui` (issue 14): Debian's chromium driven by playwright-core (no
// browser download), launched once for the whole file, against the ECR emulator seeded once with
// the demo registry (and, for the scale test, once with a generated repository of 20,000 images).
// The emulator's state is read back with the AWS CLI; counts are compared with `regsweep plan`.
// Screenshots for the README are written to docs/screenshots/ (fixed --now: deterministic).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import path from 'node:path';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { spawnSync } from 'node:child_process';
import { SOURCE, REGSWEEP, startEmulator, startUi, aws, regsweep, scratch } from './servers.mjs';

const NOW = '2026-11-01T00:00:00Z';
const NOW_MS = Date.parse(NOW);
const DAY = 86400000;
const SHOTS = path.join(SOURCE, 'docs/screenshots');
const DEMO = path.join(SOURCE, 'examples/demo-registry.json');
const DEMO_POLICY = path.join(SOURCE, 'examples/policies/demo-policy.json');
const seed = JSON.parse(readFileSync(DEMO, 'utf8'));
const imagesOf = (name) => seed.repositories.find((r) => r.repositoryName === name).imageDetails;
const pushed = (i) => Date.parse(i.imagePushedAt);
// payments/worker, oldest first (ties by digest): the images the deletion tests select.
const worker = [...imagesOf('payments/worker')].sort((a, b) => pushed(a) - pushed(b) || (a.imageDigest < b.imageDigest ? -1 : 1));
const PROTECTED = worker[4].imageDigest;  // in the keep file: never deleted

let emulator;
let ui;
let context;
let work;

function shot(page, name, selector) {
  mkdirSync(SHOTS, { recursive: true });
  const file = path.join(SHOTS, name);
  return selector ? page.locator(selector).screenshot({ path: file }) : page.screenshot({ path: file });
}

// Every error the page logs or throws (a script error, a blocked resource, a CSP violation).
const pageErrors = [];

async function openPage(hash = '#/') {
  const page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') pageErrors.push(`console: ${m.text()}`); });
  await page.goto(ui.url);
  await page.waitForSelector('#repositories tbody tr:not(.skeleton)');
  if (hash !== '#/') await page.evaluate((h) => { location.hash = h; }, hash);
  return page;
}

async function openRepository(page, registry, name) {
  const version = await page.evaluate(() => {
    const t = document.getElementById('images');
    return t ? Number(t.dataset.version) : 0;
  });
  await page.evaluate(([r, n]) => { location.hash = `#/repo/${r}/${encodeURIComponent(n)}`; }, [registry, name]);
  await page.waitForFunction(() => Number(document.getElementById('images')?.dataset.version) > 0);
  return version;
}

// Waits until the image table has been rendered again after `action`.
async function rerender(page, action) {
  const before = await page.$eval('#images', (t) => Number(t.dataset.version));
  await action();
  await page.waitForFunction((v) => Number(document.getElementById('images').dataset.version) > v, before);
}

const rowDigests = (page) => page.$$eval('#images tbody tr[data-digest]', (rows) => rows.map((r) => r.dataset.digest));

before(async () => {
  work = scratch('regsweep-web-test-');
  writeFileSync(path.join(work, 'keep.txt'), `${PROTECTED}\n`);
  emulator = await startEmulator(DEMO);
  // The views plan with the demo policy (no policy is installed in the emulator).
  ui = await startUi(['--endpoint-url', emulator.endpoint, '--now', NOW, '--journal', path.join(work, 'journal.jsonl'),
    '--keep-file', path.join(work, 'keep.txt'), '--policy', DEMO_POLICY]);
  context = await chromium.launchPersistentContext(scratch('regsweep-web-chromium-'), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--no-first-run', '--disable-gpu'],
    viewport: { width: 1366, height: 860 },
    deviceScaleFactor: 1,
    locale: 'en-US',
    timezoneId: 'UTC',
  });
});

after(async () => {
  if (context) await context.close();
  if (ui) await ui.stop();
  if (emulator) await emulator.stop();
});

function request(port, { method = 'GET', path: p = '/api/status', headers = {} }) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: p, headers }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('API: no token, a foreign Host, another origin, a preflight are refused; a snapshot is read-only', async () => {
  const token = { 'X-Regsweep-Token': ui.token };
  assert.equal((await request(ui.port, { headers: token })).status, 200);
  assert.equal((await request(ui.port, {})).status, 401);
  assert.equal((await request(ui.port, { headers: { 'X-Regsweep-Token': 'f'.repeat(64) } })).status, 401);
  // DNS rebinding: a name that resolves to 127.0.0.1 is still not this server.
  assert.equal((await request(ui.port, { headers: { ...token, Host: `evil.example:${ui.port}` } })).status, 403);
  assert.equal((await request(ui.port, { path: '/', headers: { Host: `evil.example:${ui.port}` } })).status, 403);
  assert.equal((await request(ui.port, { headers: { ...token, Host: `127.0.0.1:${ui.port + 1}` } })).status, 403);
  const cross = await request(ui.port, { headers: { ...token, Origin: 'http://evil.example' } });
  assert.equal(cross.status, 403);
  assert.equal(cross.headers['access-control-allow-origin'], undefined);
  const preflight = await request(ui.port, { method: 'OPTIONS', headers: { Origin: 'http://evil.example',
    'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'x-regsweep-token' } });
  assert.equal(preflight.status, 403);
  assert.equal(preflight.headers['access-control-allow-origin'], undefined);
  assert.equal((await request(ui.port, { headers: { ...token, 'Sec-Fetch-Site': 'cross-site' } })).status, 403);
  assert.equal((await request(ui.port, { path: '/', headers: { Host: `localhost:${ui.port}` } })).status, 200);

  // A real browser on another origin cannot read the API, token or not.
  const page = await context.newPage();
  await page.goto('about:blank');
  const outcome = await page.evaluate(async ([base, t]) => {
    try {
      const r = await fetch(`${base}/api/status`, { headers: { 'X-Regsweep-Token': t } });
      return `status ${r.status}`;
    } catch (e) {
      return 'refused';
    }
  }, [ui.base, ui.token]);
  assert.equal(outcome, 'refused');
  await page.close();

  // The port is this server's alone: a second one cannot share it (no SO_REUSEPORT).
  const clash = spawnSync(REGSWEEP, ['ui', '--snapshot', DEMO, '--port', String(ui.port)], { encoding: 'utf8', timeout: 20000 });
  assert.equal(clash.status, 2, clash.stdout + clash.stderr);
  assert.match(clash.stderr, /cannot listen on 127\.0\.0\.1/);

  const snap = await startUi(['--snapshot', DEMO, '--now', NOW]);
  try {
    const res = await fetch(`${snap.base}/api/delete/preview`, { method: 'POST',
      headers: { 'X-Regsweep-Token': snap.token, 'Content-Type': 'application/json' },
      body: JSON.stringify({ registry: 0, repository: 'payments/api', digests: [imagesOf('payments/api')[0].imageDigest] }) });
    assert.equal(res.status, 403);
    assert.match((await res.json()).error, /read-only/);
  } finally {
    await snap.stop();
  }
});

test('overview: every repository with its counts and storage; charts; screenshot', async () => {
  const page = await openPage();
  const names = await page.$$eval('#repositories tbody td.name', (tds) => tds.map((td) => td.textContent));
  assert.deepEqual([...names].sort(), seed.repositories.map((r) => r.repositoryName).sort());
  await page.waitForSelector('#chart-storage svg rect');
  await page.waitForSelector('#chart-ages svg rect');
  await shot(page, 'overview.png');
  await page.close();
});

test('repository: sort by size', async () => {
  const page = await openPage();
  await openRepository(page, 0, 'payments/api');
  await rerender(page, () => page.click('#images th button[data-sort="size"]'));
  const expected = [...imagesOf('payments/api')]
    .sort((a, b) => b.imageSizeInBytes - a.imageSizeInBytes || (a.imageDigest < b.imageDigest ? 1 : -1))
    .slice(0, 100).map((i) => i.imageDigest);
  assert.deepEqual(await rowDigests(page), expected);
  assert.equal(await page.$eval('#images th[aria-sort="descending"] button', (b) => b.dataset.sort), 'size');
  await rerender(page, () => page.click('#images th button[data-sort="size"]'));
  const ascending = [...imagesOf('payments/api')]
    .sort((a, b) => a.imageSizeInBytes - b.imageSizeInBytes || (a.imageDigest < b.imageDigest ? -1 : 1))
    .slice(0, 100).map((i) => i.imageDigest);
  assert.deepEqual(await rowDigests(page), ascending);

  // The keyboard does the same: a sort button with Enter, a range of checkboxes with Shift+Space.
  await rerender(page, async () => {
    await page.focus('#images th button[data-sort="size"]');
    await page.keyboard.press('Enter');
  });
  assert.deepEqual(await rowDigests(page), expected);
  await page.focus('#images tbody tr:nth-child(2) input.select');
  await page.keyboard.press('Space');
  await page.focus('#images tbody tr:nth-child(5) input.select');
  await page.keyboard.press('Shift+Space');
  assert.match(await page.textContent('#selection-info'), /^4 images selected/);
  await page.close();
});

test('repository: filter untagged older than 30 days; nested index children; screenshot', async () => {
  const page = await openPage();
  await openRepository(page, 0, 'payments/api');
  await rerender(page, () => page.check('#filter-untagged'));
  await rerender(page, () => page.fill('#filter-older', '30d'));
  const expected = imagesOf('payments/api')
    .filter((i) => !(i.imageTags && i.imageTags.length) && NOW_MS - pushed(i) > 30 * DAY)
    .map((i) => i.imageDigest).sort();
  assert.ok(expected.length > 0 && expected.length < imagesOf('payments/api').length);
  const info = await page.textContent('#page-info');
  assert.match(info, new RegExp(`\\b${expected.length} images match`));
  assert.deepEqual((await rowDigests(page)).sort(), expected.slice(0, 100).length === expected.length ? expected : (await rowDigests(page)).sort());
  const tags = await page.$$eval('#images tbody td.tags', (tds) => tds.map((td) => td.textContent));
  assert.ok(tags.every((t) => t.startsWith('untagged')));

  // An image index with its children nested under it.
  await openRepository(page, 0, 'web/frontend');
  const nested = await page.$$eval('#images tbody tr[data-depth="1"] .relation', (els) => els.map((e) => e.textContent));
  assert.ok(nested.length > 0 && nested.every((t) => t.startsWith('child of index ')), nested.join('|'));
  await shot(page, 'repository.png');
  await page.close();
});

test('policy editor: an invalid policy shows its error at the line and column `policy validate` names', async () => {
  const text = readFileSync(DEMO_POLICY, 'utf8').replace(/\n\s*"countUnit": "days",/, '');
  const file = path.join(work, 'invalid.json');
  writeFileSync(file, text);
  let stderr = '';
  try {
    regsweep(['policy', 'validate', file]);
  } catch (e) {
    stderr = e.stderr;
  }
  const m = stderr.match(/invalid\.json:(\d+):(\d+): (.*)/);
  assert.ok(m, stderr);
  const [line, column] = [Number(m[1]), Number(m[2])];
  // The first rule with "countUnit" removed is rule 3 ("sinceImagePushed"); its selection's
  // line is where ECR's validator (and ours) points.
  assert.ok(text.split('\n')[line - 1].includes('"selection"') || text.split('\n')[line - 1].includes('"countType"'), text.split('\n')[line - 1]);

  const page = await openPage('#/policy');
  await page.waitForSelector('#policy-valid, #policy-problems li');
  await page.fill('#policy-text', text);
  const item = await page.waitForSelector(`#policy-problems li[data-line="${line}"][data-column="${column}"]`);
  assert.match(await item.textContent(), new RegExp(`line ${line}, column ${column}: `));
  assert.equal(await page.$eval(`#policy-gutter span[data-line="${line}"]`, (s) => s.className), 'err');
  // The problem's link puts the caret at that line and column.
  await item.$eval('button', (b) => b.click());
  const caret = await page.$eval('#policy-text', (t) => t.value.slice(0, t.selectionStart).split('\n'));
  assert.deepEqual([caret.length, caret[caret.length - 1].length + 1], [line, column]);
  await shot(page, 'policy-editor.png');
  await page.close();
});

test('policy editor: the preview counts equal `regsweep plan --output json` for the same policy', async () => {
  const text = readFileSync(DEMO_POLICY, 'utf8');
  const page = await openPage('#/policy');
  await page.waitForSelector('#policy-valid, #policy-problems li');
  await page.fill('#policy-text', text);
  await page.waitForSelector('#policy-valid');
  await page.click('#policy-preview');
  const totals = await page.waitForSelector('#preview-totals');
  const shown = await totals.evaluate((el) => ({ ...el.dataset }));
  const plan = JSON.parse(regsweep(['plan', '--endpoint-url', emulator.endpoint, '--policy', DEMO_POLICY, '--now', NOW,
    '--output', 'json', '--keep-file', path.join(work, 'keep.txt')]));
  const s = plan.summary || plan.totals;
  assert.deepEqual(
    { images: Number(shown.images), expiring: Number(shown.expiring), transitioning: Number(shown.transitioning), kept: Number(shown.kept), bytes: Number(shown.bytes) },
    { images: s.images, expiring: s.expiring, transitioning: s.transitioning, kept: s.kept, bytes: s.bytesExpiring });
  assert.ok(s.expiring > 0);
  await page.$eval('#policy-text', (t) => { t.scrollTop = 0; t.dispatchEvent(new Event('scroll')); });
  await page.$eval('#policy-output', (el) => el.scrollIntoView());
  await shot(page, 'policy-preview.png');
  await page.close();
});

test('select 3 images with shift-click, see the impact, type to confirm, delete; the emulator no longer has them', async () => {
  const before = aws(emulator.endpoint, 'ecr', 'list-images', '--repository-name', 'payments/worker').imageIds;
  const page = await openPage();
  await openRepository(page, 0, 'payments/worker');
  await rerender(page, () => page.click('#images th button[data-sort="pushed"]'));  // oldest first
  const digests = (await rowDigests(page)).slice(0, 3);
  assert.deepEqual(digests, worker.slice(0, 3).map((i) => i.imageDigest));
  const boxes = await page.$$('#images tbody input.select');
  await boxes[0].click();
  await boxes[2].click({ modifiers: ['Shift'] });
  assert.match(await page.textContent('#selection-info'), /^3 images selected/);
  await page.click('#delete-selected');
  await page.waitForSelector('#impact-total');
  assert.match(await page.textContent('#impact-total'), /^3 items will be deleted/);
  assert.equal(await page.isDisabled('#delete-go'), true);
  await page.fill('#delete-confirm', 'payments/worke');
  assert.equal(await page.isDisabled('#delete-go'), true);
  await page.fill('#delete-confirm', 'payments/worker');
  await page.$eval('#delete-confirm', (el) => el.blur());  // no caret in the picture: deterministic
  await shot(page, 'delete-impact.png', '#delete-dialog');
  await page.click('#delete-go');
  await page.waitForSelector('#delete-summary');
  assert.match(await page.textContent('#delete-summary'), /^Deleted 3, already gone 0, skipped 0, failed 0/);
  const results = await page.$$eval('#delete-outcomes li', (lis) => lis.map((li) => [li.dataset.digest, li.dataset.result]));
  assert.deepEqual(results.sort(), digests.map((d) => [d, 'deleted']).sort());
  await page.click('#delete-cancel');
  await page.close();

  // The independent judge: the AWS CLI against the emulator.
  const after = aws(emulator.endpoint, 'ecr', 'list-images', '--repository-name', 'payments/worker').imageIds;
  const left = new Set(after.map((i) => i.imageDigest));
  for (const d of digests) assert.ok(!left.has(d), `${d} is still in the emulator`);
  assert.equal(new Set(before.map((i) => i.imageDigest)).size - left.size, 3);
  // And the journal: an intent and a result for each.
  const journal = JSON.parse(regsweep(['journal', 'show', '--journal', path.join(work, 'journal.jsonl'), '--output', 'json']));
  for (const d of digests) {
    assert.ok(journal.records.some((r) => r.imageDigest === d && r.kind === 'intent'), `no intent for ${d}`);
    assert.ok(journal.records.some((r) => r.imageDigest === d && r.kind === 'result' && r.outcome === 'deleted'), `no result for ${d}`);
  }
});

test('a protected image in the selection is kept, and shown as kept', async () => {
  const page = await openPage();
  await openRepository(page, 0, 'payments/worker');
  await rerender(page, () => page.click('#images th button[data-sort="pushed"]'));
  const digests = (await rowDigests(page)).slice(0, 2);
  assert.deepEqual(digests, [worker[3].imageDigest, PROTECTED]);
  const boxes = await page.$$('#images tbody input.select');
  await boxes[0].click();
  await boxes[1].click({ modifiers: ['Shift'] });
  await page.click('#delete-selected');
  await page.waitForSelector('#impact-total');
  assert.match(await page.textContent('#impact-total'), /^1 item will be deleted/);
  assert.match(await page.textContent(`#impact-kept li[data-digest="${PROTECTED}"]`), /keep: in use/);
  await page.fill('#delete-confirm', 'payments/worker');
  await page.click('#delete-go');
  await page.waitForSelector('#delete-summary');
  assert.match(await page.textContent('#delete-summary'), /^Deleted 1,/);
  assert.match(await page.textContent(`#delete-kept li[data-digest="${PROTECTED}"]`), /kept.*keep: in use/);
  await page.click('#delete-cancel');
  // The table now shows it, still there, kept.
  await page.waitForFunction((d) => !!document.querySelector(`#images tr[data-digest="${d}"]`), PROTECTED);
  await page.close();
  const left = new Set(aws(emulator.endpoint, 'ecr', 'list-images', '--repository-name', 'payments/worker').imageIds.map((i) => i.imageDigest));
  assert.ok(left.has(PROTECTED));
  assert.ok(!left.has(worker[3].imageDigest));
});

test('journal: the runs and deletions the UI made, filterable', async () => {
  const page = await openPage('#/journal');
  await page.waitForSelector('#journal-records tbody tr[data-outcome]');
  await page.selectOption('#journal-outcome', 'deleted');
  await page.waitForFunction(() => [...document.querySelectorAll('#journal-records tbody tr')].every((r) => r.dataset.outcome === 'deleted'));
  const deleted = await page.$$eval('#journal-records tbody tr[data-outcome="deleted"]', (rows) => rows.map((r) => r.dataset.digest));
  assert.deepEqual(deleted.sort(), worker.slice(0, 4).map((i) => i.imageDigest).sort());
  const runs = await page.$$eval('#journal-runs tbody tr', (rows) => rows.length);
  assert.equal(runs, 2);
  await page.close();
});

test('policy editor: diff and install on one repository (policy put); the AWS CLI reads it back', async () => {
  const text = readFileSync(DEMO_POLICY, 'utf8');
  const page = await openPage('#/policy');
  await page.waitForSelector('#policy-valid, #policy-problems li');
  await page.fill('#policy-text', text);
  await page.waitForSelector('#policy-valid');
  await page.check('#policy-repos input[data-repo="payments/api"]');
  await page.click('#policy-install');
  const change = await page.waitForSelector('#install-body li[data-change]');
  assert.equal(await change.getAttribute('data-change'), 'create');
  assert.match(await change.textContent(), /^payments\/api/);
  assert.equal(await page.$$eval('#install-body li[data-change]', (lis) => lis.length), 1);
  await page.click('#install-go');
  await page.waitForSelector('#install-body h3');
  assert.equal(await page.$eval('#install-body li[data-change]', (li) => li.textContent.includes('changed')), true);
  await page.close();
  const installed = aws(emulator.endpoint, 'ecr', 'get-lifecycle-policy', '--repository-name', 'payments/api');
  assert.deepEqual(JSON.parse(installed.lifecyclePolicyText), JSON.parse(text));
  assert.throws(() => aws(emulator.endpoint, 'ecr', 'get-lifecycle-policy', '--repository-name', 'payments/worker'));
});

test('no page logged or threw an error (scripts, CSP, resources)', () => {
  // 4xx answers the tests provoke on purpose are logged by the browser as failed resources: none
  // of them is asked for from a page the tests open with openPage().
  assert.deepEqual(pageErrors, []);
});

// A repository of 20,000 images: opening it and re-sorting must each take under a second in the
// browser (from the click to the rendered table), measured here.
test('20,000 images: open and re-sort each under 1 s (measured)', async () => {
  const images = [];
  const start = Date.parse('2025-05-01T00:00:00Z');
  for (let i = 0; i < 20000; i += 1) {
    const hex = i.toString(16).padStart(8, '0');
    const image = { imageDigest: `sha256:${hex.repeat(8)}`, imagePushedAt: new Date(start + i * 2371000).toISOString(),
      imageSizeInBytes: 10000000 + ((i * 7919) % 90000000), imageManifestMediaType: 'application/vnd.docker.distribution.manifest.v2+json' };
    if (i % 3) image.imageTags = [`build-${i}`];
    images.push(image);
  }
  const big = await startEmulator({ repositories: [{ repositoryName: 'big/app', imageDetails: images }] });
  const bigUi = await startUi(['--endpoint-url', big.endpoint, '--now', NOW, '--journal', path.join(work, 'big.jsonl')]);
  const page = await context.newPage();
  try {
    await page.goto(bigUi.url);
    await page.waitForSelector('#repositories tbody tr:not(.skeleton)', { timeout: 120000 });
    const measure = (action) => page.evaluate(async (what) => {
      const table = () => document.getElementById('images');
      const before = table() ? Number(table().dataset.version) : 0;
      const t0 = performance.now();
      if (what === 'open') location.hash = '#/repo/0/big%2Fapp';
      else table().querySelector('th button[data-sort="size"]').click();
      await new Promise((resolve) => {
        const check = () => (table() && Number(table().dataset.version) > (what === 'open' ? 0 : before) ? resolve() : requestAnimationFrame(check));
        check();
      });
      await new Promise((resolve) => requestAnimationFrame(() => resolve()));  // painted
      return performance.now() - t0;
    }, action);
    const open = await measure('open');
    const rows = await page.$$eval('#images tbody tr[data-digest]', (r) => r.length);
    assert.equal(rows, 100);
    assert.match(await page.textContent('#page-info'), /of 20,000/);
    const resort = await measure('sort');
    const first = (await rowDigests(page))[0];
    const largest = images.reduce((a, b) => (b.imageSizeInBytes > a.imageSizeInBytes ? b : a));
    assert.equal(first, largest.imageDigest);
    console.log(`20,000 images: open ${open.toFixed(0)} ms, re-sort by size ${resort.toFixed(0)} ms`);
    assert.ok(open < 1000, `opening took ${open} ms`);
    assert.ok(resort < 1000, `re-sorting took ${resort} ms`);
  } finally {
    await page.close();
    await bigUi.stop();
    await big.stop();
  }
});
