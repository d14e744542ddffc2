import type { Browser, Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import {
  auditAccessibility,
  BACKEND,
  type ConsoleWatch,
  FRONTEND,
  guestToken,
  launchChromium,
  pickProjectAndPool,
  see,
  signIn as signInAsGuest,
  startPortal,
  TASK_PAGE_UPSTREAM,
  watchConsole,
} from './portal';

/**
 * The portal as a newcomer meets it (Chromium at 1440x900, the embedded
 * default with its demo data), as a platform engineer and as a team developer:
 * every page of the suite and every template step is audited with axe-core
 * (WCAG 2.1 AA: no serious or critical violation) and watched for console
 * errors and React warnings from the suite's own code.
 */

jest.setTimeout(600_000);

const shots = path.resolve(__dirname, '..', 'test-output', 'e2e');
const VIEWPORT = { width: 1440, height: 900 };
/** Names of what the tests create: new on every run, also against a portal kept running. */
const RUN = Date.now().toString(36).slice(-5);
const MCP_SERVER = `e2e-honest-${RUN}`;
const AGENT_POOL = `e2e-agent-${RUN}`;
const POLICY = `e2e-limit-${RUN}`;
const AI_BACKEND = `e2e-llm-${RUN}`;

/** Every audit of the run, so one failing page does not hide the others. */
const audits: Array<{ name: string; violations: string[] }> = [];

describe('a newcomer in the portal', () => {
  let portal: Awaited<ReturnType<typeof startPortal>>;
  let browser: Browser;
  let token: string;

  const api = async (p: string, init: RequestInit = {}) => {
    const res = await fetch(`${BACKEND}/api/ai-gateway${p}`, {
      ...init,
      headers: {
        Authorization: `Bearer ${token}`,
        'Content-Type': 'application/json',
        ...init.headers,
      },
    });
    return { status: res.status, body: (await res.json()) as any };
  };

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    portal = await startPortal();
    browser = await launchChromium();
    token = await guestToken();
    // The demo data is loaded by a start-up hook; wait for its pools.
    for (let i = 0; i < 60; i++) {
      const pools = await api('/pools');
      if (pools.body.items?.length >= 3) break;
      await new Promise(r => setTimeout(r, 1000));
    }
  });

  afterAll(async () => {
    await browser?.close();
    portal?.stop();
  });

  /** A signed-in page with its console watched. */
  async function open(): Promise<{ page: Page; console: ConsoleWatch }> {
    // axe-core needs a page of a context of our own.
    const context = await browser.newContext({ viewport: VIEWPORT });
    const page = await context.newPage();
    const watch = watchConsole(page);
    await signInAsGuest(page, path.join(shots, 'sign-in-failed.png'));
    return { page, console: watch };
  }

  /** Screenshot + accessibility audit of what the page shows now. */
  async function check(page: Page, name: string, exclude: string[] = []) {
    await page.screenshot({
      path: path.join(shots, `${name}.png`),
      fullPage: true,
    });
    const violations = await auditAccessibility(page, exclude);
    audits.push({ name, violations });
    expect({ page: name, violations }).toEqual({ page: name, violations: [] });
  }

  function expectNoConsoleProblems(watch: ConsoleWatch) {
    expect(watch.problems()).toEqual([]);
  }

  it('4. has a way in: a home page at /, AI Gateway and Search in the sidebar', async () => {
    const { page, console: watch } = await open();
    await page.goto(FRONTEND);
    await see(page, 'home', async () => {
      await page
        .getByTestId('ai-gateway-home')
        .getByRole('heading', { name: 'Quick actions' })
        .waitFor({ timeout: 120_000 });
      await page
        .getByText('payments-prod-eu')
        .first()
        .waitFor({ timeout: 60_000 });
    });
    await expect(page.getByText(/404|page not found/i).count()).resolves.toBe(
      0,
    );
    const nav = page.getByRole('navigation');
    await nav.getByRole('link', { name: 'AI Gateway' }).first().waitFor();
    await nav.getByRole('link', { name: 'Search' }).first().waitFor();
    await check(page, 'home');

    await nav.getByRole('link', { name: 'Search' }).first().click();
    await page
      .getByRole('textbox', { name: /search/i })
      .first()
      .waitFor();
    // The search index is built on a schedule after start-up (Lunr answers
    // with an error until its first run, then has what the catalog had):
    // search again, as a person would, until the pool is found.
    await see(page, 'search', async () => {
      const deadline = Date.now() + 240_000;
      for (;;) {
        await page.goto(`${FRONTEND}/search?query=payments-prod-eu`);
        const found = await page
          .getByRole('link', { name: /payments-prod-eu/ })
          .first()
          .waitFor({ timeout: 10_000 })
          .then(() => true)
          .catch(() => false);
        if (found) return;
        if (Date.now() > deadline)
          throw new Error(
            'payments-prod-eu was not found by search in 4 minutes',
          );
        await page.waitForTimeout(5_000);
      }
    });
    // The search page is Backstage's own (search plugin): a screenshot only.
    await page.screenshot({
      path: path.join(shots, 'search.png'),
      fullPage: true,
    });
    expectNoConsoleProblems(watch);
    await page.context().close();
  });

  it('8, 5. the fleet page fits, keeps its filters in the URL, filters by chip, searches every kind and says what to do', async () => {
    const { page, console: watch } = await open();
    await page.goto(`${FRONTEND}/ai-gateway`);
    await see(page, 'fleet', () =>
      page
        .getByRole('link', { name: 'payments-prod-eu' })
        .waitFor({ timeout: 120_000 }),
    );
    await page
      .getByRole('heading', { name: /gateway pools/i })
      .first()
      .waitFor();
    // Nothing overflows horizontally at 1440 px.
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    const tableOverflow = await page
      .locator('table')
      .first()
      .evaluate(t => {
        const card = t.closest('.MuiPaper-root') ?? t.parentElement!;
        return (
          t.getBoundingClientRect().right - card.getBoundingClientRect().right
        );
      });
    expect(tableOverflow).toBeLessThanOrEqual(1);
    // The Degraded pool says why and what to do.
    const degraded = page.getByRole('row', { name: /payments-prod-eu/ });
    await degraded
      .getByText(/clusterLocatorMethods/)
      .first()
      .waitFor();
    // The direct pool is not described as having an operator.
    await expect(
      page.getByText('operator control-plane').count(),
    ).resolves.toBe(0);
    await check(page, 'fleet');

    // A summary chip filters, and the filter is in the URL.
    await page.getByRole('button', { name: /1 Degraded/ }).click();
    await page.waitForURL(/phase=Degraded/);
    await expect(
      page.getByRole('link', { name: 'research-lab' }).count(),
    ).resolves.toBe(0);
    await page.reload();
    await page
      .getByRole('link', { name: 'payments-prod-eu' })
      .waitFor({ timeout: 60_000 });
    await expect(
      page.getByRole('link', { name: 'research-lab' }).count(),
    ).resolves.toBe(0);

    // Search reaches MCP servers: "bigquery" is served by research-lab only.
    await page.goto(`${FRONTEND}/ai-gateway?q=bigquery`);
    await page
      .getByRole('link', { name: 'research-lab' })
      .waitFor({ timeout: 60_000 });
    await expect(
      page.getByRole('link', { name: 'payments-prod-eu' }).count(),
    ).resolves.toBe(0);
    await check(page, 'fleet-search');
    expectNoConsoleProblems(watch);
    await page.context().close();
  });

  it('3, 5. the pool page shows status, cause and next step first, the topology full width and readable, the relations graph below', async () => {
    const { page, console: watch } = await open();
    await page.goto(`${FRONTEND}/catalog/default/resource/payments-prod-eu`);
    const status = page.getByTestId('pool-overview');
    await see(page, 'pool-page', () => status.waitFor({ timeout: 120_000 }));
    const gateway = page.getByTestId('topology-node-gateway:payments-prod-eu');
    await gateway.waitFor({ timeout: 60_000 });
    const statusBox = (await status.boundingBox())!;
    expect(statusBox.y).toBeLessThan(VIEWPORT.height / 2);
    await status
      .getByText(/Degraded/)
      .first()
      .waitFor();
    await status
      .getByText(/clusterLocatorMethods/)
      .first()
      .waitFor();
    // The Kubernetes tab's emptiness is explained.
    await status
      .getByText(/Kubernetes tab/i)
      .first()
      .waitFor();

    const topology = page.getByTestId('topology');
    const topologyBox = (await topology.boundingBox())!;
    const content = (await page.locator('main').first().boundingBox())!;
    expect(topologyBox.width).toBeGreaterThan(content.width * 0.85);
    expect(topologyBox.y).toBeGreaterThan(statusBox.y);
    // Labels are readable: at least 11 px on screen.
    const labelPx = await gateway.evaluate(node => {
      const text = node.querySelector('text')!;
      return text.getBoundingClientRect().height;
    });
    expect(labelPx).toBeGreaterThanOrEqual(11);
    const relations = page.getByText('Relations', { exact: true }).first();
    const relationsBox = await relations.boundingBox();
    if (relationsBox) expect(relationsBox.y).toBeGreaterThan(topologyBox.y);
    await check(page, 'pool-page');

    // 10. Keyboard: a node takes focus, arrows move, the live region says where.
    await gateway.focus();
    await page.keyboard.press('ArrowRight');
    const live = page.locator('[aria-live="polite"]').filter({ hasText: /./ });
    await live.first().waitFor({ timeout: 10_000 });
    const focused = await page.evaluate(() =>
      document.activeElement?.getAttribute('data-testid'),
    );
    expect(focused).toMatch(/^topology-node-/);
    expect(focused).not.toBe('topology-node-gateway:payments-prod-eu');
    await page.keyboard.press('Enter');
    await page.getByTestId('topology-details').waitFor();

    // A direct pool is not described as having an operator.
    await expect(
      page.getByText('operator control-plane').count(),
    ).resolves.toBe(0);
    expectNoConsoleProblems(watch);
    await page.context().close();
  });

  it('7. an MCP server and an AI backend say how to call them: URL, required auth, snippets; served or not', async () => {
    const { page, console: watch } = await open();
    await page.goto(`${FRONTEND}/catalog/default/api/github`);
    const connect = page.getByTestId('connect-card');
    await see(page, 'mcp-connect', () => connect.waitFor({ timeout: 120_000 }));
    await connect
      .getByText(/https:\/\/.+\/github\/mcp/)
      .first()
      .waitFor();
    await connect.getByText(/curl/).first().waitFor();
    await page
      .getByText(/Not served/i)
      .first()
      .waitFor();
    await check(page, 'mcp-server-page');

    // The API entity's Definition tab: the MCP server's tools and transport.
    await page.goto(`${FRONTEND}/catalog/default/api/github/mcp-definition`);
    await see(page, 'mcp-definition', () =>
      page
        .getByText(/streamable-http|Streamable HTTP/i)
        .first()
        .waitFor({ timeout: 120_000 }),
    );
    await check(page, 'mcp-definition');

    const backends = await api('/ai-backends');
    // An LLM backend: its Connect card has OpenAI-compatible SDK calls.
    const backend = backends.body.items.find(
      (b: { spec: { spec: { kind: string } } }) => b.spec.spec.kind === 'ai',
    ).name as string;
    await page.goto(`${FRONTEND}/catalog/default/resource/${backend}`);
    await see(page, 'ai-backend-connect', () =>
      page.getByTestId('connect-card').waitFor({ timeout: 120_000 }),
    );
    const llmConnect = page.getByTestId('connect-card');
    await llmConnect
      .getByText(/\/v1\b/)
      .first()
      .waitFor();
    await llmConnect.getByRole('tab', { name: /Python/ }).click();
    await llmConnect
      .getByText(/base_url=/)
      .first()
      .waitFor();
    await check(page, 'ai-backend-page');
    expectNoConsoleProblems(watch);
    await page.context().close();
  });

  it('6, 1. Deploy an MCP server into a Degraded pool: the form checks early, the picker warns, the task ends with the honest state', async () => {
    const { page, console: watch } = await open();
    await page.goto(
      `${FRONTEND}/create/templates/default/ai-gateway-deploy-mcp-server`,
    );
    await see(page, 'deploy-step-1', () =>
      pickProjectAndPool(page, 'payments', 'payments-prod-eu'),
    );
    // The picker warns: MCP servers deployed here are not served yet.
    await page
      .getByText(/not served/i)
      .first()
      .waitFor({ timeout: 30_000 });
    await check(page, 'deploy-step-1');
    await page.getByRole('button', { name: 'Next' }).click();

    await page
      .getByRole('textbox', { name: 'Name', exact: true })
      .fill(MCP_SERVER);
    await page.getByTestId('ai-gateway-mcp-prefix').fill(MCP_SERVER);
    await page
      .getByText('Available in pool payments-prod-eu')
      .waitFor({ timeout: 30_000 });
    await page
      .getByRole('textbox', { name: 'Image' })
      .fill('ghcr.io/example/honest-mcp:1.0');
    await check(page, 'deploy-step-2');
    await page.getByRole('button', { name: 'Review' }).click();
    await check(page, 'deploy-review');
    await page.getByRole('button', { name: 'Create' }).click();

    // The task ends with the truth: registered, not served, why, what to do.
    await see(page, 'deploy-done', () =>
      page
        .getByText(/served once pool payments-prod-eu is applied/)
        .first()
        .waitFor({ timeout: 180_000 }),
    );
    await page
      .getByText(/Degraded/)
      .first()
      .waitFor();
    await expect(page.getByText(/Clients reach/).count()).resolves.toBe(0);
    await check(page, 'deploy-done', TASK_PAGE_UPSTREAM);
    expectNoConsoleProblems(watch);
    await page.context().close();
  });

  it('2. Create a gateway pool with agent delivery and no cluster: completes with the bootstrap instructions; the Install tab offers them anytime', async () => {
    const { page, console: watch } = await open();
    await page.goto(
      `${FRONTEND}/create/templates/default/ai-gateway-create-pool`,
    );
    await see(page, 'create-pool-step-1', () =>
      page
        .getByRole('textbox', { name: 'Pool name' })
        .waitFor({ timeout: 120_000 }),
    );
    await fillCreatePool(page, AGENT_POOL, check);
    await page.getByRole('button', { name: 'Create' }).click();
    await see(page, 'create-pool-done', () =>
      page
        .getByText(/kubectl apply/)
        .first()
        .waitFor({ timeout: 240_000 }),
    );
    await expect(page.getByText(/failed/i).count()).resolves.toBe(0);
    const install = page.getByRole('link', { name: /Install/ }).first();
    await install.waitFor();
    await check(page, 'create-pool-done', TASK_PAGE_UPSTREAM);
    await install.click();
    await page.waitForURL(new RegExp(`/resource/${AGENT_POOL}/install`), {
      timeout: 60_000,
    });
    await see(page, 'pool-install', () =>
      page
        .getByRole('button', { name: /bootstrap/i })
        .first()
        .waitFor({ timeout: 120_000 }),
    );
    await page
      .getByRole('button', { name: /enrollment token/i })
      .first()
      .waitFor();
    await check(page, 'pool-install');

    // The failure to install from the portal is in the pool's Events.
    const events = await api(`/pools/${AGENT_POOL}/events`);
    expect(JSON.stringify(events.body)).toMatch(/install/i);
    expectNoConsoleProblems(watch);
    await page.context().close();
  });

  it("10. the pool's tabs pass the accessibility audit", async () => {
    const { page, console: watch } = await open();
    for (const tab of [
      'install',
      'cluster',
      'endpoints',
      'ingress',
      'configuration',
      'tls',
      'siem',
      'events',
      'manifests',
      'access',
    ]) {
      await page.goto(
        `${FRONTEND}/catalog/default/resource/payments-prod-eu/${tab}`,
      );
      // The tab's data is in once no progress bar is left.
      await see(page, `pool-tab-${tab}`, async () => {
        await page
          .getByRole('heading', { name: 'payments-prod-eu' })
          .first()
          .waitFor({ timeout: 120_000 });
        await page.waitForTimeout(2_000);
        await page
          .locator('[role="progressbar"]')
          .first()
          .waitFor({ state: 'detached', timeout: 60_000 });
      });
      await check(page, `pool-tab-${tab}`);
    }
    expectNoConsoleProblems(watch);
    await page.context().close();
  });

  it('9. Register an AI backend: provider fields per type, readable headings and review, no weights; the task says whether it is served', async () => {
    const { page, console: watch } = await open();
    await page.goto(
      `${FRONTEND}/create/templates/default/ai-gateway-register-ai-backend`,
    );
    await see(page, 'register-step-1', () =>
      page
        .getByRole('textbox', { name: 'Project' })
        .waitFor({ timeout: 120_000 }),
    );
    await pickProjectAndPool(page, 'research', 'research-lab');
    await page
      .getByRole('textbox', { name: 'Name', exact: true })
      .fill(AI_BACKEND);
    await check(page, 'register-ai-backend-step-1');
    await page.getByRole('button', { name: 'Next' }).click();

    // Providers: one group, first an Azure OpenAI provider switched to
    // Bedrock, so only Bedrock's fields remain and nothing of Azure's is sent.
    const form = page.locator('form').first();
    const pickType = async (type: string) => {
      await page
        .getByRole('button', { name: /^Provider\b/ })
        .first()
        .click();
      await page.getByRole('option', { name: type, exact: true }).click();
      await page.getByRole('listbox').waitFor({ state: 'detached' });
    };
    // The form starts with one group of one provider.
    await page
      .locator('#root_groups_0_providers_0_name')
      .fill('primary', { timeout: 30_000 });
    await pickType('Azure OpenAI');
    await page
      .getByRole('textbox', { name: /Base URL/ })
      .fill('https://example.openai.azure.com');
    await page.getByRole('textbox', { name: /Deployment/ }).fill('gpt-4o');
    await pickType('Amazon Bedrock');
    await page
      .getByRole('textbox', { name: /AWS region/ })
      .fill('eu-central-1');
    // Bedrock has no Base URL or Azure deployment; headings say what they are.
    await expect(
      form.getByRole('textbox', { name: /Base URL|Deployment/ }).count(),
    ).resolves.toBe(0);
    const text = await form.innerText();
    // Headings are titles, not "…priority order-1" (a region like eu-central-1 is fine).
    expect(text).not.toMatch(/(order|group|providers?|item)-\d+\b/i);
    expect(text).not.toMatch(/weight/i);
    await check(page, 'register-ai-backend-step-2');
    await page.getByRole('button', { name: 'Review' }).click();

    // The review reads as words: no raw `name: … type: …` lists.
    await see(page, 'register-ai-backend-review', () =>
      page.getByRole('button', { name: 'Create' }).waitFor({ timeout: 30_000 }),
    );
    const review = await page.locator('body').innerText();
    expect(review).toMatch(/Amazon Bedrock/);
    expect(review).not.toMatch(/\btype:\s/);
    expect(review).not.toMatch(/\bname:\s/);
    await check(page, 'register-ai-backend-review');
    await page.getByRole('button', { name: 'Create' }).click();

    await see(page, 'register-ai-backend-done', () =>
      page
        .getByText(/Served|Not served yet/)
        .first()
        .waitFor({ timeout: 180_000 }),
    );
    await check(page, 'register-ai-backend-done', TASK_PAGE_UPSTREAM);
    // What was registered is Bedrock's provider only, without the model of
    // the OpenAI provider it was switched from... except the model, which
    // both types have.
    const created = await api(`/ai-backends/${AI_BACKEND}`);
    expect(created.status).toBe(200);
    const provider = created.body.spec.spec.groups[0].providers[0];
    expect(provider).toMatchObject({
      name: 'primary',
      type: 'bedrock',
      region: 'eu-central-1',
    });
    expect(provider).not.toHaveProperty('baseUrl');
    expectNoConsoleProblems(watch);
    await page.context().close();
  });

  it('6, 1. Attach a policy: targets picked from the pool, rules checked in words, a readable review, the honest end state', async () => {
    const { page, console: watch } = await open();
    await page.goto(
      `${FRONTEND}/create/templates/default/ai-gateway-attach-policy`,
    );
    await see(page, 'attach-policy-step-1', () =>
      page
        .getByRole('textbox', { name: 'Project' })
        .waitFor({ timeout: 120_000 }),
    );
    await pickProjectAndPool(page, 'payments', 'payments-prod-eu');
    await page.getByRole('textbox', { name: 'Policy name' }).fill(POLICY);
    await choose(page, /Attach to/, 'The route of an MCP server or AI backend');
    // The target is one of the pool's MCP servers or AI backends, not free text.
    await page
      .getByTestId('ai-gateway-policy-target')
      .getByRole('button')
      .click({ timeout: 30_000 });
    await page.getByTestId('ai-gateway-policy-target-option-github').click();
    await page.getByRole('listbox').waitFor({ state: 'detached' });
    await check(page, 'attach-policy-step-1');
    await page.getByRole('button', { name: 'Next' }).click();

    await choose(page, /Rate limit/, 'Per minute');
    const limit = page.getByRole('spinbutton', { name: 'Limit' });
    await limit.fill('0');
    await page.getByRole('button', { name: 'Review' }).click();
    // The browser refuses it in words before anything is sent.
    await expect(
      limit.evaluate(el => (el as HTMLInputElement).validationMessage),
    ).resolves.toMatch(/greater than or equal to 1/);
    await expect(
      page.getByRole('button', { name: 'Create' }).count(),
    ).resolves.toBe(0);
    await check(page, 'attach-policy-step-2-invalid');
    await limit.fill('120');
    await page.getByRole('checkbox', { name: 'Email addresses' }).check();
    await check(page, 'attach-policy-step-2');
    await page.getByRole('button', { name: 'Review' }).click();
    await see(page, 'attach-policy-review', () =>
      page.getByRole('button', { name: 'Create' }).waitFor({ timeout: 30_000 }),
    );
    const review = await page.locator('body').innerText();
    expect(review).toMatch(/Per minute/);
    expect(review).toMatch(/Email addresses/);
    await check(page, 'attach-policy-review');
    await page.getByRole('button', { name: 'Create' }).click();

    // payments-prod-eu serves nothing: the task says so instead of success.
    await see(page, 'attach-policy-done', () =>
      page
        .getByText(/Not enforced yet/)
        .first()
        .waitFor({ timeout: 180_000 }),
    );
    await page
      .getByText(/Degraded/)
      .first()
      .waitFor();
    await check(page, 'attach-policy-done', TASK_PAGE_UPSTREAM);
    const policy = await api(`/policies/${POLICY}`);
    expect(policy.status).toBe(200);
    expect(policy.body.spec).toMatchObject({
      target: { kind: 'route', name: 'github' },
      rateLimit: { unit: 'minute', requests: 120 },
    });
    expectNoConsoleProblems(watch);
    await page.context().close();
  });
});

/** Picks `option` in the MUI select labelled `label` (rjsf's enum widget). */
async function choose(page: Page, label: string | RegExp, option: string) {
  await page.getByRole('button', { name: label }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
  await page.getByRole('listbox').waitFor({ state: 'detached' });
}

/**
 * Fills the create-pool template as a platform engineer does (agent delivery,
 * the default), auditing each step; on the Resources step a CPU of "lots" is
 * refused in the form, in words, before any task runs.
 */
async function fillCreatePool(
  page: Page,
  name: string,
  check: (page: Page, name: string) => Promise<void>,
) {
  const next = () => page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('textbox', { name: 'Pool name' }).fill(name);
  const project = page.getByRole('textbox', { name: 'Project' });
  await project.click();
  await project.fill('research');
  await page
    .getByRole('option', { name: /research/i })
    .first()
    .click();
  await page
    .getByRole('textbox', { name: 'Cluster', exact: true })
    .fill('e2e-cluster');
  await check(page, 'create-pool-step-1');
  await next();
  // Resources.
  const cpu = page.getByRole('textbox', { name: /CPU request/ });
  await cpu.waitFor({ timeout: 30_000 });
  await cpu.fill('lots');
  await next();
  await page
    .getByText(/Kubernetes quantity/i)
    .first()
    .waitFor({ timeout: 10_000 });
  await check(page, 'create-pool-step-2-invalid');
  await cpu.fill('250m');
  await next();
  // Advanced, Ingress: defaults.
  await check(page, 'create-pool-step-3');
  await next();
  await check(page, 'create-pool-step-4');
  await next();
  // TLS & domains.
  await page
    .getByRole('textbox', { name: /Base domain/ })
    .fill('e2e.example.com');
  await check(page, 'create-pool-step-5');
  await next();
  // Delivery: agent (the default).
  await check(page, 'create-pool-step-6');
  await page.getByRole('button', { name: 'Review' }).click();
  await check(page, 'create-pool-review');
}
