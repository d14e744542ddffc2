import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

const root = path.resolve(__dirname, '..');

/** Where the browser tests put their screenshots. */
export const SHOTS = path.join(root, 'test-output', 'e2e');

/**
 * Runs `what` (waits on the page); when it fails, saves a screenshot of what
 * the page showed instead as `<name>-failed.png` in {@link SHOTS}.
 */
export async function see(
  page: Page,
  name: string,
  what: () => Promise<unknown>,
): Promise<void> {
  try {
    await what();
  } catch (e) {
    await page
      .screenshot({
        path: path.join(SHOTS, `${name}-failed.png`),
        fullPage: true,
      })
      .catch(() => undefined);
    throw e;
  }
}

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
  if (process.env.AIGW_E2E_REUSE_PORTAL === '1') {
    // While writing browser tests: use the portal already started with `npm run dev`.
    return { stop: () => undefined, output };
  }
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

/** Console messages of a page that the suite's own code caused. */
export type ConsoleWatch = { problems: () => string[]; all: () => string[] };

// React and Backstage warnings that name a cause in the caller's code: when
// their component stack's first frame is ours, they are the suite's to fix.
const OUR_SOURCE =
  /plugins\/(ai-gateway|catalog-backend-module-ai-gateway)|@ai-gateway-backstage/;
const CALLER_WARNINGS = [
  /requires all rows to have an unique id/,
  /changing an uncontrolled input/i,
  /changing a controlled input/i,
  /unique "key" prop/,
  /enumNames/,
  /validateDOMNesting/,
];

/**
 * Collects console errors and warnings; `problems` keeps those from the
 * suite's own code: the message's first source frame is in our packages, or
 * it is a warning about how a caller used a component on a page of ours.
 */
export function watchConsole(page: Page): ConsoleWatch {
  const messages: string[] = [];
  page.on('console', message => {
    if (message.type() === 'error' || message.type() === 'warning') {
      messages.push(`${message.type()}: ${message.text()}`);
    }
  });
  page.on('pageerror', error => messages.push(`pageerror: ${error.stack}`));
  const firstFrame = (text: string) =>
    text.match(/\((webpack-internal:\/\/\/[^)]+|https?:\/\/[^)]+)\)/)?.[1] ??
    '';
  return {
    all: () => [...messages],
    problems: () =>
      messages.filter(
        m =>
          m.startsWith('pageerror') ||
          OUR_SOURCE.test(firstFrame(m)) ||
          (CALLER_WARNINGS.some(w => w.test(m)) &&
            (OUR_SOURCE.test(m) || !/node_modules/.test(firstFrame(m)))),
      ),
  };
}

/**
 * Parts of Backstage's own page chrome that axe reports on every page,
 * suite or not; they are reported upstream and left out of our audit so that
 * the audit measures what the suite renders.
 */
export const UPSTREAM_AXE_EXCLUDES = [
  // The new frontend system's page header tabs: react-aria ids with ':'.
  '[id^="react-aria"][role="tab"]',
];

/**
 * Backstage's own parts of the scaffolder's task page (its log viewer and
 * progress bar), around the template's output that the suite writes.
 */
export const TASK_PAGE_UPSTREAM = [
  '[class*="BackstageLogViewer-root"]',
  '.MuiLinearProgress-root',
];

/**
 * An axe-core audit (WCAG 2.1 A and AA) of the page; serious and critical
 * violations. `exclude`: more upstream parts of this page to leave out.
 */
export async function auditAccessibility(page: Page, exclude: string[] = []) {
  // Loaded lazily: only the browser tests need axe.
  const { AxeBuilder } = await import('@axe-core/playwright');
  let builder = new AxeBuilder({ page }).withTags([
    'wcag2a',
    'wcag2aa',
    'wcag21a',
    'wcag21aa',
  ]);
  for (const selector of [...UPSTREAM_AXE_EXCLUDES, ...exclude])
    builder = builder.exclude(selector);
  const result = await builder.analyze();
  return result.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(
      v =>
        `${v.impact} ${v.id}: ${v.help} (${v.nodes.length}x: ${v.nodes
          .slice(0, 3)
          .map(n => n.target.join(' '))
          .join(' | ')})`,
    );
}

/** Picks project and pool on a template's first step, as a developer does. */
export async function pickProjectAndPool(
  page: Page,
  project: string,
  pool: string,
) {
  const field = page.getByRole('textbox', { name: 'Project' });
  await field.click({ timeout: 120_000 });
  await field.fill(project);
  await page
    .getByRole('option', { name: new RegExp(project, 'i') })
    .first()
    .click();
  await page
    .getByTestId('ai-gateway-pool-picker')
    .getByRole('button')
    .click({ timeout: 60_000 });
  await page
    .getByTestId(`ai-gateway-pool-option-${pool}`)
    .click({ timeout: 60_000 });
}
