import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '..');

export const FRONTEND = 'http://localhost:3000';
export const BACKEND = 'http://localhost:7007';

async function waitFor(url: string, deadline: number, proc: ChildProcess) {
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) {
      throw new Error(
        `The portal exited with code ${proc.exitCode} before ${url} answered`,
      );
    }
    try {
      const res = await fetch(url);
      if (res.ok) return;
      lastError = new Error(`${url} answered ${res.status}`);
    } catch (e) {
      lastError = e;
    }
    await new Promise(r => setTimeout(r, 1000));
  }
  throw new Error(`Timed out waiting for ${url}: ${String(lastError)}`);
}

/** Starts the portal with the README's start command and waits until both ends answer. */
export async function startPortal(options: { timeoutMs?: number } = {}) {
  const output: string[] = [];
  const proc = spawn('bash', ['scripts/start.sh'], {
    cwd: root,
    // Jest sets NODE_ENV=test; the portal must run as a person starts it.
    env: { ...process.env, NODE_ENV: 'development', BROWSER: 'none' },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout!.on('data', d => output.push(String(d)));
  proc.stderr!.on('data', d => output.push(String(d)));
  const deadline = Date.now() + (options.timeoutMs ?? 240_000);
  try {
    await waitFor(`${BACKEND}/.backstage/health/v1/readiness`, deadline, proc);
    await waitFor(FRONTEND, deadline, proc);
  } catch (e) {
    stop(proc);
    throw new Error(
      `${(e as Error).message}\n--- portal output (tail) ---\n${output
        .join('')
        .slice(-4000)}`,
    );
  }
  return { stop: () => stop(proc), output };
}

function stop(proc: ChildProcess) {
  if (proc.pid && proc.exitCode === null) {
    try {
      process.kill(-proc.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
}

/** A Backstage token for the demo's guest user, as the frontend gets it. */
export async function guestToken(): Promise<string> {
  const res = await fetch(`${BACKEND}/api/auth/guest/refresh`, {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  if (!res.ok)
    throw new Error(`guest sign-in failed: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { backstageIdentity: { token: string } };
  return body.backstageIdentity.token;
}
