import type { Browser } from 'playwright-core';
import path from 'node:path';
import {
  BACKEND,
  FRONTEND,
  SHOTS,
  guestToken,
  launchChromium,
  pickProjectAndPool,
  see,
  signIn,
  startPortal,
} from './portal';

jest.setTimeout(420_000);

const ENTITY = 'docs-search-mcp';
const SERVER_NAME = 'io.example.docs/search';
const NAME = 'e2e-docs-search';

/**
 * "Registry in" from the catalog, as a developer does it: the demo catalog's
 * API entity holding a server.json shows what the gateway would run and a
 * button; the template opens with that entry chosen; the task creates the
 * MCP server with the secret reference given; and the control plane's own
 * registry (/v0.1/servers) lists it with its gateway URL.
 */
describe('deploying an MCP registry entry kept in the catalog', () => {
  let portal: Awaited<ReturnType<typeof startPortal>>;
  let browser: Browser;

  beforeAll(async () => {
    portal = await startPortal();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    portal?.stop();
  });

  it('goes from the API entity page through the template to the registry out', async () => {
    const page = await browser.newPage({
      viewport: { width: 1440, height: 1000 },
    });
    await signIn(page, path.join(SHOTS, 'catalog-deploy-sign-in-failed.png'));
    const card = page.getByTestId('deploy-from-catalog');
    await see(page, 'catalog-deploy-card', async () => {
      // The catalog reads the examples shortly after start.
      for (let i = 0; i < 30; i++) {
        await page.goto(`${FRONTEND}/catalog/default/api/${ENTITY}`);
        const shown = await card.waitFor({ timeout: 5_000 }).then(
          () => true,
          () => false,
        );
        if (shown) return;
        await page.waitForTimeout(2_000);
      }
      throw new Error('the Serve through AI Gateway card did not show');
    });
    await card.getByText('Docs search 2.1.0').waitFor();
    await card.getByText(/Secrets to give .*: Authorization/).waitFor();
    await page.screenshot({
      path: path.join(SHOTS, 'catalog-deploy-card.png'),
      fullPage: true,
    });

    await card.getByText('Deploy to a pool').click();
    await see(page, 'catalog-deploy-template', async () => {
      await page.waitForURL(/ai-gateway-deploy-from-mcp-registry/);
      // The entry is chosen, and what it needs is said.
      await page
        .getByTestId(`ai-gateway-registry-entry-${SERVER_NAME}`)
        .and(page.locator('.Mui-selected'))
        .waitFor({ timeout: 60_000 });
    });
    await page.getByRole('button', { name: 'Next' }).click();

    await pickProjectAndPool(page, 'payments', 'payments-prod-eu');
    await page.getByRole('button', { name: 'Next' }).click();

    await see(page, 'catalog-deploy-secrets', async () => {
      await page
        .getByRole('textbox', { name: /Name \(optional\)/ })
        .fill(NAME, { timeout: 30_000 });
      await page.getByRole('button', { name: /Add/ }).first().click();
      await page
        .getByRole('textbox', { name: /Variable or header/ })
        .fill('Authorization');
      await page.getByRole('textbox', { name: 'Secret name' }).fill('docs');
      await page
        .getByRole('textbox', { name: 'Key in the Secret' })
        .fill('token');
    });
    await page.getByRole('button', { name: 'Review' }).click();
    await page.getByRole('button', { name: 'Create' }).click();
    await see(page, 'catalog-deploy-task', () =>
      page
        .getByText(/Not served yet|Served/)
        .first()
        .waitFor({ timeout: 180_000 }),
    );
    await page.screenshot({
      path: path.join(SHOTS, 'catalog-deploy-task.png'),
      fullPage: true,
    });

    const headers = { Authorization: `Bearer ${await guestToken()}` };
    const created = await fetch(
      `${BACKEND}/api/ai-gateway/mcp-servers/${NAME}`,
      { headers },
    );
    expect(created.status).toBe(200);
    const server = (await created.json()) as any;
    expect(server.spec).toMatchObject({
      project: 'payments',
      pool: 'payments-prod-eu',
      source: {
        type: 'remote',
        url: 'https://docs-mcp.example.com/mcp',
        authSecretRef: { name: 'docs', key: 'token' },
      },
    });
    const registry = await fetch(
      `${BACKEND}/api/ai-gateway/v0.1/servers?search=${NAME}`,
      { headers },
    );
    const listed = (await registry.json()) as any;
    expect(
      listed.servers.map((e: any) => [e.server.name, e.server.remotes]),
    ).toEqual([
      [
        `io.backstage.ai-gateway/${NAME}`,
        [{ type: 'streamable-http', url: server.derived.url }],
      ],
    ]);
    await page.close();
  });
});
