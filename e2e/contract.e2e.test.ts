import type { Browser } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
// By file: the packages' entry points pull in ESM modules this tier's Jest does not transform.
import {
  startSdkMcpServer,
  type SdkMcpServer,
} from '../plugins/ai-gateway-backend/src/contracts/__testUtils__/startSdkMcpServer';
import {
  BACKEND,
  FRONTEND,
  guestToken,
  launchChromium,
  signIn,
  see,
  startPortal,
} from './portal';

jest.setTimeout(420_000);

const shots = path.resolve(__dirname, '..', 'test-output', 'e2e');
const SERVER = 'e2e-contract';

/**
 * The Contract tab of an MCP server in Chromium: a real MCP server of the
 * official SDK, registered as a remote MCP server of the demo's payments
 * project, is read with "Check now"; a destructive tool added to it shows
 * as a change and turns the risk class to destructive.
 */
describe("an MCP server's live contract in the portal", () => {
  let portal: Awaited<ReturnType<typeof startPortal>>;
  let browser: Browser;
  let mcp: SdkMcpServer;

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    mcp = await startSdkMcpServer({
      tools: [
        {
          name: 'search_docs',
          description: 'Searches the docs',
          annotations: { readOnlyHint: true, openWorldHint: false },
        },
      ],
    });
    portal = await startPortal();
    browser = await launchChromium();
    const token = await guestToken();
    // The demo data is loaded by a start-up hook: wait for the project.
    for (let i = 0; i < 60; i++) {
      const res = await fetch(`${BACKEND}/api/ai-gateway/projects`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      if (((await res.json()) as { items: unknown[] }).items.length) break;
      await new Promise(r => setTimeout(r, 1000));
    }
    const created = await fetch(`${BACKEND}/api/ai-gateway/mcp-servers`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${token}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({
        name: SERVER,
        project: 'payments',
        pool: 'payments-prod-eu',
        prefix: SERVER,
        description: 'A real MCP server for the contract test',
        source: { type: 'remote', url: mcp.url },
        transport: 'streamable-http',
      }),
    });
    if (created.status !== 201) {
      throw new Error(
        `creating ${SERVER}: ${created.status} ${await created.text()}`,
      );
    }
  });

  afterAll(async () => {
    await browser?.close();
    portal?.stop();
    await mcp?.close();
  });

  it('checks the contract now, then shows a new destructive tool as a change', async () => {
    const page = await browser.newPage({
      viewport: { width: 1440, height: 1000 },
    });
    await signIn(page, path.join(shots, 'contract-sign-in-failed.png'));
    // The catalog module turns the new MCP server into an API entity.
    await see(page, 'contract-tab', async () => {
      for (let i = 0; i < 30; i++) {
        await page.goto(
          `${FRONTEND}/catalog/default/api/${SERVER}/mcp-contract`,
        );
        const ready = await page
          .getByTestId('contract-check')
          .waitFor({ timeout: 5_000 })
          .then(
            () => true,
            () => false,
          );
        if (ready) return;
        await page.waitForTimeout(2_000);
      }
      throw new Error('the Contract tab did not show');
    });
    await page.getByTestId('contract-check').click();
    await see(page, 'contract-first-check', async () => {
      await page.getByText('search_docs').first().waitFor({ timeout: 60_000 });
      await page
        .getByTestId('contract-risk')
        .getByText('Read-only', { exact: true })
        .waitFor();
    });

    mcp.tools.push({
      name: 'delete_page',
      description: 'Deletes a page',
      annotations: { readOnlyHint: false, destructiveHint: true },
    });
    await page.getByTestId('contract-check').click();
    await see(page, 'contract-second-check', async () => {
      await page.getByText('delete_page').first().waitFor({ timeout: 60_000 });
      await page
        .getByTestId('contract-risk')
        .getByText('Destructive', { exact: true })
        .waitFor();
    });
    await page.screenshot({
      path: path.join(shots, 'contract-tab.png'),
      fullPage: true,
    });
    await page.close();
  });
});
