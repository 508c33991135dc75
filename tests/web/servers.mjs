// Servers for the browser tests: the ECR emulator seeded with a snapshot, `regsweep ui` against
// it, and the AWS CLI as the independent judge of what the emulator holds. Every process listens
// on 127.0.0.1 on a port it picks; every process is stopped by the caller (stop()).
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const SOURCE = process.env.REGSWEEP_SOURCE_DIR ||
  path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const REGSWEEP = process.env.REGSWEEP_BIN || path.join(SOURCE, 'build/regsweep');
export const EMULATOR = process.env.ECR_EMULATOR_BIN || path.join(SOURCE, 'build/emulator/ecr-emulator');
export const AWS_ENV = {
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  AWS_REGION: 'us-east-1',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
};

export function scratch(prefix) {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

async function waitFor(check, what, ms = 60000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what} did not start within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function stopper(proc) {
  return async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const ended = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
    await ended;
    clearTimeout(timer);
  };
}

// seed: a path or an object (written to a file).
export async function startEmulator(seed) {
  if (!existsSync(EMULATOR)) throw new Error(`no ecr-emulator at ${EMULATOR}; build it or set ECR_EMULATOR_BIN`);
  const dir = scratch('regsweep-web-emulator-');
  let seedPath = seed;
  if (typeof seed !== 'string') {
    seedPath = path.join(dir, 'seed.json');
    writeFileSync(seedPath, JSON.stringify(seed));
  }
  const portFile = path.join(dir, 'port');
  const proc = spawn(EMULATOR, ['--port', '0', '--port-file', portFile, '--seed', seedPath], { stdio: 'ignore' });
  const port = await waitFor(() => existsSync(portFile) && readFileSync(portFile, 'utf8').trim(), 'the emulator');
  const stop = stopper(proc);
  return { endpoint: `http://127.0.0.1:${port}`, stop: async () => { await stop(); rmSync(dir, { recursive: true, force: true }); } };
}

// Starts `regsweep ui ARGS` and returns its URL (with the token), port and token.
export async function startUi(args, env = {}) {
  if (!existsSync(REGSWEEP)) throw new Error(`no regsweep at ${REGSWEEP}; build it or set REGSWEEP_BIN`);
  const proc = spawn(REGSWEEP, ['ui', '--port', '0', ...args], {
    env: { ...process.env, ...AWS_ENV, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stdout.on('data', (d) => { out += d; });
  proc.stderr.on('data', (d) => { err += d; });
  const url = await waitFor(() => {
    if (proc.exitCode !== null) throw new Error(`regsweep ui exited ${proc.exitCode}: ${err}`);
    const m = out.match(/open (http:\/\/127\.0\.0\.1:(\d+)\/#token=([0-9a-f]+))/);
    return m && { url: m[1], port: Number(m[2]), token: m[3] };
  }, 'regsweep ui');
  return { ...url, base: `http://127.0.0.1:${url.port}`, stop: stopper(proc), output: () => out + err };
}

// The AWS CLI v2 (Debian's awscli), against the emulator.
export function aws(endpoint, ...args) {
  const text = execFileSync('/usr/bin/aws', ['--endpoint-url', endpoint, '--output', 'json', ...args], {
    env: { ...process.env, ...AWS_ENV }, encoding: 'utf8',
  });
  return JSON.parse(text);
}

export function regsweep(args, env = {}) {
  return execFileSync(REGSWEEP, args, { env: { ...process.env, ...AWS_ENV, ...env }, encoding: 'utf8' });
}
