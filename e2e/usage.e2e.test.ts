// By file: the packages' entry points pull in ESM modules this tier's Jest does not transform.
import {
  startAgentgatewayMetricsExporter,
  type AgentgatewayMetricsExporter,
} from '../plugins/ai-gateway-node-test-utils/src/AgentgatewayMetricsExporter';
import {
  startTestPrometheus,
  type TestPrometheus,
} from '../plugins/ai-gateway-node-test-utils/src/TestPrometheus';
import { servedObjectName } from '../plugins/ai-gateway-node/src/manifests/labels';
import type { Browser, Page } from 'playwright-core';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
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

const root = path.resolve(__dirname, '..');
const shots = path.join(root, 'test-output', 'e2e');

// The demo's pool, project, team and LLM backend (examples/demo).
const GATEWAY = 'aigw-payments/payments-prod-eu';
const PROJECT = 'payments';
const TEAM = 'group:default/team-payments';
const AI_BACKEND = 'payments-llm';
const llm = {
  gateway: GATEWAY,
  route: `aigw-payments/${servedObjectName('aiBackend', AI_BACKEND)}`,
  project: PROJECT,
  team: TEAM,
  consumer: 'checkout-agent',
};

/**
 * The usage cards and budget forms in Chromium, with the portal reading a
 * real Prometheus (Debian's) that scrapes the synthetic agentgateway
 * exporter: the numbers on the page are the traffic this test generated.
 */
describe('usage and budgets in the portal, with a metrics source', () => {
  let portal: Awaited<ReturnType<typeof startPortal>>;
  let browser: Browser;
  let exporter: AgentgatewayMetricsExporter;
  let prometheus: TestPrometheus | undefined;

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    exporter = await startAgentgatewayMetricsExporter();
    prometheus = await startTestPrometheus({ targets: [exporter.target] });
    const prometheusUrl = prometheus.url;
    // 3 requests of gpt-4.1 (1,200 in + 300 out tokens, $0.0125 each) and
    // one of gpt-4.1-mini (400 + 100, no cost reported), 2 MCP calls.
    for (let i = 0; i < 3; i++) {
      exporter.recordLlmRequest({
        ...llm,
        model: 'gpt-4.1',
        inputTokens: 1200,
        outputTokens: 300,
        costUsd: 0.0125,
      });
    }
    exporter.recordLlmRequest({
      ...llm,
      model: 'gpt-4.1-mini',
      inputTokens: 400,
      outputTokens: 100,
    });
    const config = path.join(prometheus.dir, 'app-config.usage.yaml');
    writeFileSync(
      config,
      [
        'aiGateway:',
        '  metrics:',
        '    prometheus:',
        `      url: ${prometheusUrl}`,
        '    minStepSeconds: 1',
        '  usage:',
        '    budgetEvaluationInterval: 5s',
        '',
      ].join('\n'),
    );
    portal = await startPortal({
      config: [path.join(root, 'app-config.yaml'), config],
    });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    portal?.stop();
    await prometheus?.stop();
    await exporter?.close();
  });

  async function open(): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width: 1440, height: 1000 },
      acceptDownloads: true,
    });
    const page = await context.newPage();
    await signIn(page, path.join(shots, 'usage-sign-in-failed.png'));
    return page;
  }

  it("the project's usage card shows the generated traffic, a chart by model and a CSV of it", async () => {
    const page = await open();
    await page.goto(`${FRONTEND}/catalog/default/system/${PROJECT}`);
    // The InfoCard whose subheader names the project.
    const card = page
      .locator('.MuiCard-root')
      .filter({ hasText: `Traffic through project ${PROJECT}` });
    // 3 x 1,200 + 400 input tokens, 3 x 300 + 100 output, 3 x $0.0125.
    await see(page, 'usage-card', async () => {
      await card.getByText('4K', { exact: true }).waitFor({ timeout: 120_000 });
      await card.getByText('1K', { exact: true }).waitFor();
      await card.getByText('$0.0375', { exact: true }).waitFor();
    });
    await card.getByRole('heading', { name: 'Tokens by model' }).waitFor();
    await card.locator('.recharts-surface').first().waitFor();
    await card.getByText('gpt-4.1-mini').first().waitFor();
    await page.screenshot({
      path: path.join(shots, 'usage-card.png'),
      fullPage: true,
    });

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      card.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const csv = readFileSync((await download.path())!, 'utf8');
    const [header, ...rows] = csv.trim().split(/\r?\n/);
    expect(header).toMatch(/inputTokens/);
    const columns = header.split(',');
    const values = rows[0].split(',');
    expect(rows).toHaveLength(1);
    expect(Number(values[columns.indexOf('inputTokens')])).toBe(4000);
    expect(Number(values[columns.indexOf('outputTokens')])).toBe(1000);
    expect(Number(values[columns.indexOf('costUsd')])).toBeCloseTo(0.0375, 10);
    await page.context().close();
  });

  it("the team's usage page shows its cost and tokens by model", async () => {
    const page = await open();
    await page.goto(
      `${FRONTEND}/ai-gateway/usage?team=${encodeURIComponent(TEAM)}`,
    );
    await see(page, 'usage-page', async () => {
      await page.getByText('$0.0375').first().waitFor({ timeout: 120_000 });
      await page.getByText('gpt-4.1-mini').first().waitFor();
    });
    await page.locator('.recharts-surface').first().waitFor();
    await page.screenshot({
      path: path.join(shots, 'usage-page.png'),
      fullPage: true,
    });
    await page.context().close();
  });

  it("a team budget set from the group's page: checked field by field, then refusing once its spend is over the limit", async () => {
    const page = await open();
    await page.goto(`${FRONTEND}/catalog/default/group/team-payments`);
    const card = page
      .locator('.MuiCard-root')
      .filter({ hasText: `Spend limits of team ${TEAM}` });
    await see(page, 'budget-card', () =>
      card
        .getByRole('button', { name: 'Add budget' })
        .waitFor({ timeout: 120_000 }),
    );
    await card.getByRole('button', { name: 'Add budget' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add budget' });
    await dialog.getByLabel('Name').fill('payments-tokens');
    await dialog.getByLabel('Limit in').selectOption('tokens');
    await dialog.getByLabel('Amount').fill('2.5');
    await dialog.getByRole('button', { name: 'Save' }).click();
    // Tokens are whole: the field says so and nothing is created.
    await see(page, 'budget-form-error', () =>
      dialog.getByText(/whole number/i).waitFor({ timeout: 10_000 }),
    );
    await dialog.getByLabel('Amount').fill('3000');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });

    // The team used 5,000 tokens this month: the next evaluation (every 5 s
    // here) finds the budget exceeded and the pool refuses the team's traffic.
    await see(page, 'budget-exceeded', async () => {
      for (let i = 0; i < 24; i++) {
        await page.reload();
        const shown = await card
          .getByText(/Exceeded: refusing with 429/)
          .first()
          .waitFor({ timeout: 5_000 })
          .then(
            () => true,
            () => false,
          );
        if (shown) return;
        await page.waitForTimeout(2_000);
      }
      throw new Error('the budget was not shown as exceeded within a minute');
    });
    await page.screenshot({
      path: path.join(shots, 'budget-card.png'),
      fullPage: true,
    });

    // The refusal is in the pool's rendered bundle for the team.
    const token = await guestToken();
    const manifests = await fetch(
      `${BACKEND}/api/ai-gateway/pools/payments-prod-eu/manifests`,
      { headers: { Authorization: `Bearer ${token}` } },
    );
    expect(manifests.status).toBe(200);
    expect(await manifests.text()).toMatch(/payments-tokens/);

    // Deleting the budget from the card lifts it.
    await card
      .getByRole('button', { name: 'Edit budget payments-tokens' })
      .click();
    const edit = page.getByRole('dialog', {
      name: /Edit budget payments-tokens/,
    });
    await edit.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('button', { name: 'Delete budget' }).click();
    await card
      .getByText(/Exceeded/)
      .first()
      .waitFor({ state: 'detached' });
    await page.context().close();
  });
});
