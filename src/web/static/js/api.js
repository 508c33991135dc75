// Every API call carries the per-run token in a header (never a cookie): the server refuses
// requests without it. The token comes from the URL's fragment, which browsers never send to a
// server, and is kept in sessionStorage for this tab only.
const KEY = 'regsweep-token';

export function takeToken() {
  const match = location.hash.match(/token=([0-9a-f]+)/);
  if (match) {
    sessionStorage.setItem(KEY, match[1]);
    history.replaceState(null, '', location.pathname + '#/');
  }
  return sessionStorage.getItem(KEY);
}

export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.error) || `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

async function call(method, path, body) {
  const headers = { 'X-Regsweep-Token': sessionStorage.getItem(KEY) || '' };
  const init = { method, headers, cache: 'no-store' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  let parsed = null;
  try {
    parsed = await response.json();
  } catch (e) {
    parsed = null;
  }
  if (!response.ok && response.status !== 202) throw new ApiError(response.status, parsed);
  return parsed;
}

export const get = (path, params) => {
  const query = params ? '?' + new URLSearchParams(params).toString() : '';
  return call('GET', path + query);
};
export const post = (path, body) => call('POST', path, body || {});
