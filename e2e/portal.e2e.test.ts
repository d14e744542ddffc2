import type { Browser, Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import {
  BACKEND,
  FRONTEND,
  guestToken,
  launchChromium,
  signIn as signInAsGuest,
  startPortal,
} from './portal';

jest.setTimeout(420_000);

const shots = path.resolve(__dirname, '..', 'test-output', 'e2e');

const signIn = (page: Page) =>
  signInAsGuest(page, path.join(shots, 'sign-in-failed.png'));

describe('the portal started as the README says', () => {
  let portal: Awaited<ReturnType<typeof startPortal>>;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    portal = await startPortal();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    portal?.stop();
  });

  it('serves the control plane API with the demo data', async () => {
    const token = await guestToken();
    const get = async (p: string) => {
      const res = await fetch(`${BACKEND}/api/ai-gateway${p}`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(200);
      return (await res.json()) as {
        items: Array<{ name: string; spec: any; derived?: { url: string } }>;
      };
    };
    // The demo data is loaded at start-up; give the startup hook a moment.
    let projects = await get('/projects');
    for (let i = 0; i < 30 && projects.items.length === 0; i++) {
      await new Promise(r => setTimeout(r, 1000));
      projects = await get('/projects');
    }
    expect(projects.items).toHaveLength(2);
    const pools = await get('/pools');
    expect(pools.items).toHaveLength(3);
    expect(new Set(pools.items.map(p => p.spec.tls.mode)).size).toBe(3);
    expect(new Set(pools.items.map(p => p.spec.delivery.mode)).size).toBe(3);
    const servers = await get('/mcp-servers?limit=100');
    expect(servers.items.length).toBeGreaterThanOrEqual(12);
    for (const s of servers.items)
      expect(s.derived?.url).toMatch(/^https:\/\/.+\/.+\/mcp$/);
    expect((await get('/ai-backends')).items.length).toBeGreaterThanOrEqual(2);
    expect((await get('/policies')).items.length).toBeGreaterThanOrEqual(3);

    // The catalog module turns them into entities.
    const catalog = async (filter: string) => {
      const res = await fetch(
        `${BACKEND}/api/catalog/entities/by-query?filter=${filter}&limit=100`,
        {
          headers: { Authorization: `Bearer ${token}` },
        },
      );
      return (
        (await res.json()) as { items: Array<{ metadata: { name: string } }> }
      ).items;
    };
    // The suite's MCP servers, not the registry entries the demo catalog also holds.
    const deployed =
      'kind=api,spec.type=mcp-server,metadata.annotations.ai-gateway.io/kind=mcpServer';
    let mcpEntities = await catalog(deployed);
    for (let i = 0; i < 60 && mcpEntities.length < servers.items.length; i++) {
      await new Promise(r => setTimeout(r, 1000));
      mcpEntities = await catalog(deployed);
    }
    expect(mcpEntities.map(e => e.metadata.name).sort()).toEqual(
      servers.items.map(s => s.name).sort(),
    );
    expect(
      await catalog('kind=resource,spec.type=ai-gateway-pool'),
    ).toHaveLength(3);
  });

  it('signs the guest in and shows the catalog', async () => {
    const page = await browser.newPage();
    await signIn(page);
    // The catalog lists the suite's own component, owned by the guest's group.
    await page.goto(`${FRONTEND}/catalog`);
    await page
      .locator('a[href*="/ai-gateway-for-backstage"]')
      .first()
      .waitFor({ timeout: 120_000 });
    await page.screenshot({
      path: path.join(shots, 'portal-catalog.png'),
      fullPage: true,
    });
    await page.close();
  });

  it('shows the fleet page with every demo pool, its phase and counts', async () => {
    const page = await browser.newPage();
    await signIn(page);
    await page.goto(`${FRONTEND}/ai-gateway`);
    await page
      .getByText('Gateway pools (3 of 3)')
      .waitFor({ timeout: 120_000 })
      .catch(async e => {
        await page.screenshot({
          path: path.join(shots, 'fleet-failed.png'),
          fullPage: true,
        });
        throw e;
      });
    for (const pool of [
      'payments-prod-eu',
      'research-lab',
      'payments-onprem',
    ]) {
      await page.getByRole('link', { name: pool }).waitFor();
    }
    await page.screenshot({
      path: path.join(shots, 'fleet.png'),
      fullPage: true,
    });
    await page.close();
  });

  it("opens a pool's page: overview card and topology, a node's details and effective policy", async () => {
    const page = await browser.newPage({
      viewport: { width: 1600, height: 1000 },
    });
    await signIn(page);
    await page.goto(`${FRONTEND}/catalog/default/resource/payments-prod-eu`);
    await page.getByTestId('pool-overview').waitFor({ timeout: 120_000 });
    await page
      .getByTestId('topology-node-gateway:payments-prod-eu')
      .waitFor({ timeout: 60_000 });
    // The graph opens at a readable zoom around the pool's gateway; Fit shows every node.
    await page
      .getByTestId('topology')
      .getByRole('button', { name: /^fit/i })
      .click();
    const routes = page.locator('[data-testid^="topology-node-route:"]');
    await routes.first().click();
    await page
      .getByTestId('topology-details')
      .getByText(/^route:/)
      .waitFor();
    await page.getByText('Effective policy').waitFor();
    await page.screenshot({
      path: path.join(shots, 'pool-topology.png'),
      fullPage: true,
    });
    await page.close();
  });

  it("opens a pool's tabs: Manifests with its YAML and live diff, Events, Endpoints and Access", async () => {
    const page = await browser.newPage({
      viewport: { width: 1600, height: 1000 },
    });
    await signIn(page);
    // payments-prod-eu is delivered `direct`; research-lab by the agent.
    await page.goto(`${FRONTEND}/catalog/default/resource/payments-prod-eu`);
    await page.getByTestId('pool-overview').waitFor({ timeout: 120_000 });
    // The entity page's tabs are links to the tab's path.
    const tab = (name: string) =>
      page.locator(`a[href$="/resource/payments-prod-eu/${name}"]`).first();
    for (const name of [
      'kubernetes',
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
      await tab(name).waitFor({ timeout: 30_000 });
    }
    await expect(tab('tls').textContent()).resolves.toBe('TLS & Domains');
    await tab('manifests').click();
    await page.waitForURL(/\/manifests$/);
    await page
      .getByText(/kind: Gateway/)
      .first()
      .waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Download' }).first().waitFor();
    await page.screenshot({
      path: path.join(shots, 'pool-manifests.png'),
      fullPage: true,
    });
    await page
      .getByRole('button', { name: /Diff against live cluster/i })
      .click();
    // Either the diff, or (no cluster configured for the demo's direct pool) an explanation.
    await page
      .getByTestId('diff-result')
      .or(page.getByTestId('diff-unavailable'))
      .waitFor({ timeout: 60_000 });
    await page.screenshot({
      path: path.join(shots, 'pool-manifests-diff.png'),
      fullPage: true,
    });

    await tab('events').click();
    await page
      .getByText(/created/i)
      .first()
      .waitFor({ timeout: 60_000 });
    await page.screenshot({
      path: path.join(shots, 'pool-events.png'),
      fullPage: true,
    });

    await tab('endpoints').click();
    await page
      .getByText(/\/mcp$/)
      .first()
      .waitFor({ timeout: 60_000 });
    await page.screenshot({
      path: path.join(shots, 'pool-endpoints.png'),
      fullPage: true,
    });

    await tab('access').click();
    await page
      .getByText(/kind: Role/)
      .first()
      .waitFor({ timeout: 60_000 });
    await page.screenshot({
      path: path.join(shots, 'pool-access.png'),
      fullPage: true,
    });
    await page.close();
  });

  it("says on a project's usage card what to configure when no metrics source is", async () => {
    const page = await browser.newPage();
    await signIn(page);
    await page.goto(`${FRONTEND}/catalog/default/system/payments`);
    const card = page
      .locator('.MuiCard-root')
      .filter({ hasText: 'Traffic through project payments' });
    await card
      .getByText('No metrics source is configured')
      .waitFor({ timeout: 120_000 });
    await card.getByText(/aiGateway\.metrics\.prometheus\.url/).waitFor();
    // Budgets can be set before usage is read; the card says what they do.
    await page
      .locator('.MuiCard-root')
      .filter({ hasText: 'Spend limits of project payments' })
      .getByRole('button', { name: 'Add budget' })
      .waitFor();
    await page.screenshot({
      path: path.join(shots, 'usage-not-configured.png'),
      fullPage: true,
    });
    await page.close();
  });

  it('fills the "Deploy an MCP server" form and lands on the new entity page', async () => {
    const page = await browser.newPage();
    await signIn(page);
    await page.goto(
      `${FRONTEND}/create/templates/default/ai-gateway-deploy-mcp-server`,
    );
    // Step 1: the project (a catalog System) and a pool of it, offered with its phase.
    const project = page.getByRole('textbox', { name: 'Project' });
    await project.click({ timeout: 120_000 });
    await project.fill('research');
    await page
      .getByRole('option', { name: /research/i })
      .first()
      .click();
    await page
      .getByTestId('ai-gateway-pool-picker')
      .getByRole('button')
      .click({ timeout: 60_000 });
    const option = page.getByTestId('ai-gateway-pool-option-research-lab');
    await option.waitFor({ timeout: 60_000 });
    await page.screenshot({
      path: path.join(shots, 'deploy-mcp-server-pool-picker.png'),
      fullPage: true,
    });
    await option.click();
    await page.getByRole('button', { name: 'Next' }).click();
    // Step 2: the server; the prefix is checked live against the pool.
    await page
      .getByRole('textbox', { name: 'Name', exact: true })
      .fill('e2e-search');
    await page.getByTestId('ai-gateway-mcp-prefix').fill('e2e-search');
    await page
      .getByText('Available in pool research-lab')
      .waitFor({ timeout: 30_000 });
    await page
      .getByRole('textbox', { name: 'Image' })
      .fill('ghcr.io/example/search-mcp:1.0');
    await page.screenshot({
      path: path.join(shots, 'deploy-mcp-server-form.png'),
      fullPage: true,
    });
    await page.getByRole('button', { name: 'Review' }).click();
    await page.getByRole('button', { name: 'Create' }).click();
    // The task ends with a link to the new entity.
    const open = page
      .getByRole('link', { name: 'Open the MCP server' })
      .or(page.getByRole('button', { name: 'Open the MCP server' }));
    await open.first().waitFor({ timeout: 180_000 });
    await page.screenshot({
      path: path.join(shots, 'deploy-mcp-server-done.png'),
      fullPage: true,
    });
    await open.first().click();
    await page.waitForURL(/\/catalog\/default\/api\/e2e-search/, {
      timeout: 60_000,
    });
    await page.getByText('e2e-search').first().waitFor({ timeout: 120_000 });
    await page.screenshot({
      path: path.join(shots, 'deploy-mcp-server-entity.png'),
      fullPage: true,
    });
    const token = await guestToken();
    const created = await fetch(
      `${BACKEND}/api/ai-gateway/mcp-servers/e2e-search`,
      { headers: { Authorization: `Bearer ${token}` } },
    );
    expect(created.status).toBe(200);
    expect(
      ((await created.json()) as { derived: { url: string } }).derived.url,
    ).toMatch(/\/e2e-search\/mcp$/);
    await page.close();
  });
});
