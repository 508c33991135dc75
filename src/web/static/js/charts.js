// Two small SVG charts, drawn from numbers the server computed: storage by repository
// (horizontal bars, the largest first) and images by age. Fixed sizes, so they never shift.
import { bytes, count } from './format.js';

const NS = 'http://www.w3.org/2000/svg';

function svg(tag, attrs, text) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, v);
  if (text !== undefined) el.textContent = text;
  return el;
}

export function barChart({ title, rows, width = 520, rowHeight = 20, maxRows = 12, format = bytes }) {
  const shown = rows.slice(0, maxRows);
  const height = maxRows * rowHeight + 8;
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img',
    'aria-label': title, class: 'chart' });
  const max = Math.max(1, ...shown.map((r) => r.value));
  const labelWidth = 170;
  const valueWidth = 80;
  shown.forEach((row, i) => {
    const y = 4 + i * rowHeight;
    root.append(svg('text', { x: labelWidth - 6, y: y + rowHeight * 0.7, 'text-anchor': 'end',
      class: 'chart-label' }, row.label.length > 26 ? row.label.slice(0, 25) + '…' : row.label));
    const w = Math.max(1, ((width - labelWidth - valueWidth) * row.value) / max);
    const bar = svg('rect', { x: labelWidth, y: y + 3, width: w, height: rowHeight - 6,
      class: 'chart-bar' });
    bar.append(svg('title', {}, `${row.label}: ${format(row.value)}`));
    root.append(bar);
    if (row.part) {
      const pw = Math.max(0, ((width - labelWidth - valueWidth) * row.part) / max);
      root.append(svg('rect', { x: labelWidth, y: y + 3, width: pw, height: rowHeight - 6,
        class: 'chart-bar-part' }));
    }
    root.append(svg('text', { x: labelWidth + w + 4, y: y + rowHeight * 0.7, class: 'chart-value' },
      format(row.value)));
  });
  return root;
}

export function histogram({ title, buckets, width = 640, height = 200 }) {
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img',
    'aria-label': title, class: 'chart' });
  const max = Math.max(1, ...buckets.map((b) => b.images));
  const slot = (width - 20) / buckets.length;
  const chartHeight = height - 46;
  buckets.forEach((b, i) => {
    const x = 10 + i * slot;
    const h = (chartHeight * b.images) / max;
    const bar = svg('rect', { x: x + 6, y: 18 + chartHeight - h, width: slot - 12, height: h,
      class: 'chart-bar' });
    bar.append(svg('title', {}, `${b.label}: ${count(b.images)} images, ${bytes(b.bytes)}`));
    root.append(bar);
    root.append(svg('text', { x: x + slot / 2, y: 14 + chartHeight - h, 'text-anchor': 'middle',
      class: 'chart-value' }, count(b.images)));
    root.append(svg('text', { x: x + slot / 2, y: height - 22, 'text-anchor': 'middle',
      class: 'chart-label' }, b.label));
    root.append(svg('text', { x: x + slot / 2, y: height - 6, 'text-anchor': 'middle',
      class: 'chart-sub' }, bytes(b.bytes)));
  });
  return root;
}
