import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

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

/**
 * Starts the portal with the README's start command and waits until both ends
 * answer; `config` replaces app-config.yaml by these files (`--config`).
 */
export async function startPortal(
  options: { timeoutMs?: number; config?: string[] } = {},
) {
  const output: string[] = [];
  const args = (options.config ?? []).flatMap(file => ['--config', file]);
  const proc = spawn('bash', ['scripts/start.sh', ...args], {
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

/** Chromium (scripts/chromium.sh installs it) as the browser tests drive it. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * Signs the guest in and waits until the app shows it, so a navigation keeps
 * the session; on failure, a screenshot goes to `failureShot`.
 */
export async function signIn(page: Page, failureShot: string) {
  // The dev server can be slow to answer the first sign-in on a loaded machine: one retry.
  for (let attempt = 1; ; attempt++) {
    try {
      await page.goto(FRONTEND);
      await page
        .getByRole('button', { name: /enter/i })
        .click({ timeout: 120_000 });
      await page
        .getByRole('link', { name: 'Catalog' })
        .first()
        .waitFor({ timeout: 90_000 });
      return;
    } catch (e) {
      if (attempt === 2) {
        await page
          .screenshot({ path: failureShot, fullPage: true })
          .catch(() => undefined);
        throw e;
      }
    }
  }
}
