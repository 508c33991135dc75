// How numbers, sizes, money and times are shown: UTC, so screenshots and tests do not depend on
// the machine's time zone.
const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

export function bytes(n) {
  if (n === null || n === undefined) return '–';
  let value = Number(n);
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value >= 100 ? 0 : 1)} ${UNITS[unit]}`;
}

export const money = (n) => `$${Number(n || 0).toFixed(2)}`;
export const count = (n) => Number(n || 0).toLocaleString('en-US');

export function time(ms) {
  if (ms === null || ms === undefined) return '–';
  const d = new Date(ms);
  return d.toISOString().slice(0, 16).replace('T', ' ');
}

export function shortDigest(digest) {
  return digest && digest.startsWith('sha256:') ? digest.slice(0, 19) : digest;
}

export function plural(n, one, many) {
  return `${count(n)} ${n === 1 ? one : many}`;
}
