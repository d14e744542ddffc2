// The checks of scripts/test-install.sh against the started app: the control plane
// answers, suite entities reach the catalog, the scaffolder has the suite's
// actions, and the fleet page and a pool's entity page render in Chromium.
//
// Environment: AIGW_BASE_URL (the app's backend, which also serves the frontend),
// AIGW_APP_DIR, AIGW_RESULTS_TSV (one "PASS|FAIL|SKIP<TAB>message" line per check is
// appended), AIGW_SHOTS (screenshot folder), CHROMIUM_PATH (default /usr/bin/chromium).
import { appendFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const base = process.env.AIGW_BASE_URL;
const appDir = process.env.AIGW_APP_DIR;
const resultsFile = process.env.AIGW_RESULTS_TSV;
const shots = process.env.AIGW_SHOTS;
if (!base || !appDir || !resultsFile || !shots) {
  console.error(
    'checks.mjs needs AIGW_BASE_URL, AIGW_APP_DIR, AIGW_RESULTS_TSV and AIGW_SHOTS',
  );
  process.exit(2);
}
mkdirSync(shots, { recursive: true });

// playwright-core is the repository's (a test tool); everything of the suite comes
// from the app's node_modules, i.e. from the installed tarballs.
const repoRequire = createRequire(import.meta.url);
const appRequire = createRequire(
  path.join(appDir, 'packages/backend/package.json'),
);
const COMMON = '@ai-gateway-backstage/plugin-ai-gateway-common';

const PROJECT = 'install-test';
const POOL = 'install-test-pool';

let failures = 0;
function record(status, message) {
  if (status === 'FAIL') failures++;
  console.log(`${status}: ${message}`);
  appendFileSync(
    resultsFile,
    `${status}\t${message.replace(/[\t\n]+/g, ' ')}\n`,
  );
}

/** Runs one check; a thrown error fails it with the error's message. Returns the result or undefined. */
async function check(name, fn) {
  try {
    const detail = await fn();
    record('PASS', detail ? `${name}: ${detail}` : name);
    return detail ?? true;
  } catch (e) {
    record(
      'FAIL',
      `${name}: ${String(e?.message ?? e).replace(/\s*\n\s*/g, ' ')}`,
    );
    return undefined;
  }
}

async function eventually(fn, { timeoutMs = 90_000, intervalMs = 1000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw last;
    await new Promise(r => setTimeout(r, intervalMs));
  }
}

async function json(res, what) {
  const text = await res.text();
  if (!res.ok)
    throw new Error(`${what} answered ${res.status}: ${text.slice(0, 500)}`);
  return text ? JSON.parse(text) : undefined;
}

// --- HTTP ---------------------------------------------------------------------

let token;
await check('guest sign-in (auth backend of the template)', async () => {
  const res = await fetch(`${base}/api/auth/guest/refresh`, {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  const body = await json(res, 'GET /api/auth/guest/refresh');
  token = body.backstageIdentity.token;
  return `signed in as ${body.backstageIdentity.identity.userEntityRef}`;
});
const auth = () => ({ Authorization: `Bearer ${token}` });

// The control plane is called through the suite's own REST client (generated from
// its OpenAPI document) from the common package installed in the app, as the app's
// own code would.
let client;
await check(
  `${COMMON} exports the REST client (AiGatewayRestClient)`,
  async () => {
    const { AiGatewayRestClient } = appRequire(COMMON);
    if (typeof AiGatewayRestClient !== 'function')
      throw new Error('no AiGatewayRestClient export');
    client = new AiGatewayRestClient({
      discoveryApi: { getBaseUrl: async pluginId => `${base}/api/${pluginId}` },
      fetchApi: { fetch: (input, init) => fetch(input, init) },
    });
  },
);

const needClient = () => {
  if (!client) throw new Error('no REST client (see the check above)');
};

await check('control plane answers listProjects', async () => {
  needClient();
  const body = await json(
    await client.listProjects({ query: {} }, { token }),
    'listProjects',
  );
  if (!Array.isArray(body.items))
    throw new Error(`no items in ${JSON.stringify(body).slice(0, 200)}`);
  return `${body.items.length} project(s)`;
});

await check(
  `create project "${PROJECT}" and pool "${POOL}" as the guest, read the pool back`,
  async () => {
    needClient();
    await json(
      await client.createProject(
        {
          body: {
            name: PROJECT,
            title: 'Install test',
            owner: 'group:default/guests',
          },
        },
        { token },
      ),
      'createProject',
    );
    const pool = await json(
      await client.createPool(
        {
          body: {
            name: POOL,
            project: PROJECT,
            cluster: { name: 'install-test-cluster', type: 'eks' },
            namespace: 'aigw-install-test',
            tls: { mode: 'selfsigned' },
            domains: { baseDomain: 'ai.install-test.example.com' },
            delivery: { mode: 'agent' },
          },
        },
        { token },
      ),
      'createPool',
    );
    if (!pool.enrollmentToken)
      throw new Error('the created pool carries no enrollmentToken');
    const read = await json(
      await client.getPool({ path: { name: POOL } }, { token }),
      'getPool',
    );
    if (read.name !== POOL || read.project !== PROJECT) {
      throw new Error(`getPool answered ${JSON.stringify(read).slice(0, 200)}`);
    }
    return `getPool -> ${read.name} of ${read.project}, version ${read.version}`;
  },
);

await check(
  `pool "${POOL}" and project "${PROJECT}" reach the catalog`,
  async () => {
    const entity = await eventually(async () =>
      json(
        await fetch(
          `${base}/api/catalog/entities/by-name/resource/default/${POOL}`,
          { headers: auth() },
        ),
        'catalog',
      ),
    );
    const kind = entity.metadata.annotations?.['ai-gateway.io/kind'];
    if (kind !== 'pool')
      throw new Error(`resource:${POOL} has ai-gateway.io/kind=${kind}`);
    const system = await eventually(async () =>
      json(
        await fetch(
          `${base}/api/catalog/entities/by-name/system/default/${PROJECT}`,
          { headers: auth() },
        ),
        'catalog',
      ),
    );
    return `resource:default/${POOL} (${entity.spec.type}), system:default/${system.metadata.name}`;
  },
);

await check('scaffolder has the ai-gateway:* actions', async () => {
  const actions = await json(
    await fetch(`${base}/api/scaffolder/v2/actions`, { headers: auth() }),
    'GET /api/scaffolder/v2/actions',
  );
  const ids = actions.map(a => a.id).filter(id => id.startsWith('ai-gateway:'));
  if (ids.length === 0) throw new Error(`none among ${actions.length} actions`);
  return ids.join(', ');
});

// --- Chromium -----------------------------------------------------------------

const { chromium } = repoRequire('playwright-core');
let browser;
await check('Chromium starts', async () => {
  browser = await chromium.launch({
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
});

/**
 * Opens `url` signed in as the guest: the template's sign-in page offers the guest
 * provider ("Enter"); once signed in the app shows its sidebar.
 */
async function openSignedIn(page, url) {
  await page.goto(url);
  const enter = page.getByRole('button', { name: /enter/i });
  const sidebar = page.locator('nav[aria-label="sidebar nav"]');
  await enter
    .or(sidebar)
    .first()
    .waitFor({ state: 'attached', timeout: 120_000 });
  if (await enter.isVisible()) {
    await enter.click();
    await enter.waitFor({ state: 'detached', timeout: 60_000 });
  }
}

async function inBrowser(name, url, shot, fn) {
  if (!browser) return record('FAIL', `${name}: no browser`);
  await check(name, async () => {
    const page = await browser.newPage({
      viewport: { width: 1600, height: 1000 },
    });
    const errors = [];
    page.on('pageerror', e => errors.push(String(e)));
    try {
      await openSignedIn(page, url);
      const detail = await fn(page);
      await page.screenshot({
        path: path.join(shots, `${shot}.png`),
        fullPage: true,
      });
      return detail;
    } catch (e) {
      await page
        .screenshot({
          path: path.join(shots, `${shot}-failed.png`),
          fullPage: true,
        })
        .catch(() => undefined);
      const body = (
        await page
          .locator('body')
          .innerText()
          .catch(() => '')
      )
        .replace(/\s+/g, ' ')
        .slice(0, 400);
      throw new Error(
        `${
          String(e.message).split('\n')[0]
        } (screenshot ${shot}-failed.png); page text: "${body}"` +
          (errors.length ? `; page errors: ${errors.join(' | ')}` : ''),
      );
    } finally {
      await page.close();
    }
  });
}

await inBrowser(
  'the /ai-gateway fleet page renders and lists the pool',
  `${base}/ai-gateway`,
  'fleet',
  async page => {
    await page
      .getByText(/Gateway pools \(\d+ of \d+\)/)
      .waitFor({ timeout: 120_000 });
    await page.getByRole('link', { name: POOL }).waitFor({ timeout: 60_000 });
    return 'fleet table with the pool';
  },
);

await inBrowser(
  'the sidebar links to the /ai-gateway page',
  `${base}/`,
  'sidebar',
  async page => {
    const sidebar = page.locator('nav[aria-label="sidebar nav"]');
    await sidebar
      .getByRole('link', { name: /catalog/i })
      .first()
      .waitFor({ timeout: 120_000 });
    const link = sidebar.locator('a[href$="/ai-gateway"]');
    if ((await link.count()) === 0) {
      const items = await sidebar.getByRole('link').allInnerTexts();
      throw new Error(
        `no sidebar link to /ai-gateway among: ${items
          .map(t => t.trim())
          .filter(Boolean)
          .join(', ')}`,
      );
    }
    return 'found';
  },
);

await inBrowser(
  "the pool's entity page renders the suite's cards",
  `${base}/catalog/default/resource/${POOL}`,
  'pool-entity',
  async page => {
    await page.getByTestId('pool-overview').waitFor({ timeout: 120_000 });
    await page
      .getByTestId(`topology-node-gateway:${POOL}`)
      .waitFor({ timeout: 60_000 });
    return 'pool overview card and topology';
  },
);

await browser?.close();
process.exit(failures ? 1 : 0);
