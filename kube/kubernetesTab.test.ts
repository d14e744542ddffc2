import {
  aPool,
  eventually,
} from '@ai-gateway-backstage/plugin-ai-gateway-node-test-utils';
import {
  objectsOfStage,
  type ManifestObject,
} from '@ai-gateway-backstage/plugin-ai-gateway-node';
import type { ManifestBundle } from '@ai-gateway-backstage/plugin-ai-gateway-common';
import type { Browser, Page } from 'playwright-core';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  BACKEND,
  FRONTEND,
  guestToken,
  launchChromium,
  signIn,
  startPortal,
} from '../e2e/portal';
import {
  createNamespace,
  kubeConfigOf,
  outputDir,
  repoRoot,
  tierState,
} from './harness/cluster';
import {
  grantPortalAccess,
  writePortalClusterConfig,
} from './harness/portalAccess';

jest.setTimeout(600_000);

const CLUSTER = 'local';
/** A direct pool the portal applies to the tier's API server. */
const APPLIED = 'k8s-tab';
/** An agent pool whose operator was never installed: its namespace stays empty. */
const EMPTY = 'k8s-tab-empty';
const namespaceOf = (pool: string) => `aigw-${pool}`;

/** The control plane's REST API as the demo's guest (a platform admin). */
async function api<T = any>(
  method: 'GET' | 'POST',
  route: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${BACKEND}/api/ai-gateway${route}`, {
    method,
    headers: {
      Authorization: `Bearer ${await guestToken()}`,
      ...(body ? { 'Content-Type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : text };
}

async function createPool(pool: object & { name: string }) {
  const created = await api('POST', '/pools', pool);
  if (created.status !== 201)
    throw new Error(
      `creating pool ${pool.name}: ${created.status} ${JSON.stringify(
        created.body,
      )}`,
    );
}

/** Waits until the catalog has the pool's entity (the catalog module syncs it from change events). */
async function waitForEntity(pool: string) {
  await eventually(
    `the catalog entity of pool ${pool}`,
    async () => {
      const response = await fetch(
        `${BACKEND}/api/catalog/entities/by-name/resource/default/${pool}`,
        { headers: { Authorization: `Bearer ${await guestToken()}` } },
      );
      return response.status === 200;
    },
    120_000,
    1000,
  );
}

/** What @backstage/plugin-kubernetes-backend answers for the pool's entity. */
async function kubernetesObjectsOf(
  pool: string,
): Promise<{ status: number; body: any }> {
  const token = await guestToken();
  const entity = await (
    await fetch(
      `${BACKEND}/api/catalog/entities/by-name/resource/default/${pool}`,
      { headers: { Authorization: `Bearer ${token}` } },
    )
  ).json();
  const response = await fetch(`${BACKEND}/api/kubernetes/services/${pool}`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${token}`,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify({ entity }),
  });
  return { status: response.status, body: await response.json() };
}

describe("a pool's Kubernetes tab on a real API server", () => {
  let portal: Awaited<ReturnType<typeof startPortal>>;
  let browser: Browser;

  /** Opens a pool's Kubernetes tab, screenshots it on failure. */
  async function openKubernetesTab(
    pool: string,
    check: (page: Page) => Promise<void>,
  ) {
    const page = await browser.newPage({
      viewport: { width: 1600, height: 1600 },
    });
    try {
      await signIn(page, path.join(outputDir, 'sign-in-failed.png'));
      await page.goto(
        `${FRONTEND}/catalog/default/resource/${pool}/kubernetes`,
      );
      await check(page);
    } catch (error) {
      await page
        .screenshot({
          path: path.join(outputDir, `kubernetes-tab-${pool}-failed.png`),
          fullPage: true,
        })
        .catch(() => undefined);
      // What the plugin's backend found, object names by type.
      const answer = await kubernetesObjectsOf(pool)
        .then(({ status, body }) =>
          JSON.stringify({
            status,
            items: body.items?.map((item: any) => ({
              cluster: item.cluster.name,
              errors: item.errors,
              resources: item.resources.map((r: any) => [
                r.type,
                r.resources.map((o: any) => o.metadata.name),
              ]),
            })),
            error: body.error?.message,
          }),
        )
        .catch(e => String(e));
      throw new Error(
        `${
          (error as Error).message
        }\nThe Kubernetes backend answers: ${answer}`,
      );
    } finally {
      await page.close();
    }
  }

  beforeAll(async () => {
    // The portal's ServiceAccount may deliver into the direct pool's
    // namespace and read what the Kubernetes plugin reads, as
    // `npm run dev:kube` sets it up.
    const { server, caData } = tierState();
    const token = await grantPortalAccess(kubeConfigOf(), {
      poolNamespaces: [namespaceOf(APPLIED)],
    });
    await createNamespace(namespaceOf(EMPTY));
    // Next to this run's API server (test-output/kube/run-<pid>/).
    const clusterConfig = path.join(
      path.dirname(tierState().dir),
      'portal-cluster.yaml',
    );
    writePortalClusterConfig(clusterConfig, {
      name: CLUSTER,
      url: server,
      caData,
      token,
    });
    portal = await startPortal({
      config: [path.join(repoRoot, 'app-config.yaml'), clusterConfig],
    });
    browser = await launchChromium();
    // The demo data (project payments) is loaded at start-up.
    await eventually(
      'the demo project payments',
      async () => (await api('GET', '/projects/payments')).status === 200,
      60_000,
      1000,
    );
  });

  afterAll(async () => {
    await browser?.close();
    portal?.stop();
    if (portal)
      writeFileSync(
        path.join(path.dirname(tierState().dir), 'portal.log'),
        portal.output.join(''),
      );
  });

  it('shows the objects the control plane applied for a direct pool', async () => {
    await createPool(
      aPool(APPLIED, 'payments', {
        cluster: { name: CLUSTER, type: 'native' },
        namespace: namespaceOf(APPLIED),
        delivery: { mode: 'direct' },
      }),
    );
    await api('POST', `/pools/${APPLIED}/sync`);
    // Applied on its desired revision. Not Active: with no kubelet, no
    // workload ever gets a ready replica.
    await eventually(
      `pool ${APPLIED} applied on its desired revision`,
      async () => {
        const { body: status } = await api('GET', `/pools/${APPLIED}/status`);
        const applied = status.conditions?.find(
          (c: any) => c.type === 'Applied',
        );
        if (
          applied?.status === 'True' &&
          status.heartbeat?.runningRevision === status.desiredRevision
        )
          return true;
        // eventually() reports the last error: the pool's own reason.
        throw new Error(
          `${status.phase}: ${applied?.message ?? 'nothing applied yet'}`,
        );
      },
      120_000,
      1000,
    );
    const bundle = (
      await api<ManifestBundle>('GET', `/pools/${APPLIED}/manifests`)
    ).body;
    const runtime = objectsOfStage(bundle, 'runtime') as ManifestObject[];
    // The kinds the plugin lists, with the label it gives each object.
    const labels: Record<string, string> = {
      Deployment: 'Deployment',
      StatefulSet: 'Stateful Set',
      Service: 'Service',
      Gateway: 'Gateway',
    };
    const shown = runtime.filter(o => labels[o.kind]);
    const count = (kind: string) => shown.filter(o => o.kind === kind).length;
    expect(count('Deployment') + count('StatefulSet')).toBeGreaterThan(0);
    expect(count('Service')).toBeGreaterThan(0);
    expect(count('Gateway')).toBe(1);
    await waitForEntity(APPLIED);

    await openKubernetesTab(APPLIED, async page => {
      await page.getByText('Your Clusters').waitFor({ timeout: 120_000 });
      // The cluster's accordion (collapsed) holds the objects.
      await page
        .getByText(CLUSTER, { exact: true })
        .first()
        .click({ timeout: 120_000 });
      // Its contents are in the page at once; the screenshot waits until
      // the accordion has opened (MUI's Collapse, `entered` at the end).
      await page.locator('.MuiCollapse-entered').first().waitFor();
      // Each object is a button with its name and kind (it opens a drawer).
      for (const object of shown)
        await page
          .getByRole('button', {
            name: new RegExp(
              `^${object.metadata.name}\\s*${labels[object.kind]}(\\s|$)`,
            ),
          })
          .first() // Services: the accordion and the drawer button in it
          .waitFor({ timeout: 60_000 });
      // No kubelet runs: the workloads never get a pod.
      await page.getByText('0 pods').first().waitFor();
      await page.screenshot({
        path: path.join(outputDir, 'kubernetes-tab.png'),
        fullPage: true,
      });
    });
  });

  it("shows the plugin's empty state for a pool whose namespace has nothing", async () => {
    await createPool(
      aPool(EMPTY, 'payments', {
        cluster: { name: CLUSTER, type: 'native' },
        namespace: namespaceOf(EMPTY),
        delivery: { mode: 'agent' },
      }),
    );
    await waitForEntity(EMPTY);
    // Every kind readable, nothing found: no cluster in the answer.
    await expect(kubernetesObjectsOf(EMPTY)).resolves.toEqual({
      status: 200,
      body: { items: [] },
    });
    await openKubernetesTab(EMPTY, async page => {
      await page
        .getByText('No Kubernetes resources')
        .waitFor({ timeout: 120_000 });
      await page
        .getByText(`No resources on any known clusters for ${EMPTY}`)
        .waitFor();
      await page.screenshot({
        path: path.join(outputDir, 'kubernetes-tab-empty.png'),
        fullPage: true,
      });
    });
  });
});
