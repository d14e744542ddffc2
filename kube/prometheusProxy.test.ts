import {
  eventually,
  startAgentgatewayMetricsExporter,
  startTestPrometheus,
  type AgentgatewayMetricsExporter,
  type TestPrometheus,
} from '@ai-gateway-backstage/plugin-ai-gateway-node-test-utils';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { CoreV1Api } from '@kubernetes/client-node';
import { networkInterfaces } from 'node:os';
import { createUsageService } from '../plugins/ai-gateway-backend/src/usage';
import {
  bindRole,
  kubeConfigOf,
  newServiceAccount,
  tierState,
} from './harness/cluster';

jest.setTimeout(300_000);

const NAMESPACE = 'monitoring';
const CLUSTER = 'local';
const pool = { name: 'metered', namespace: 'aigw-metered', cluster: CLUSTER };

/**
 * The API server proxies a Service to its endpoints, and refuses loopback
 * endpoint addresses: Prometheus listens on every address and the Service's
 * endpoint is this machine's first non-loopback IPv4 address.
 */
function hostAddress(): string {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const a of addresses ?? []) {
      if (a.family === 'IPv4' && !a.internal) return a.address;
    }
  }
  throw new Error('this machine has no non-loopback IPv4 address');
}

const silent = { info() {}, warn() {} } as unknown as LoggerService;

describe('usage from a Prometheus inside the cluster, through its API server', () => {
  let exporter: AgentgatewayMetricsExporter;
  let prometheus: TestPrometheus | undefined;
  let port: number;
  let allowedToken: string;
  let refusedToken: string;

  beforeAll(async () => {
    exporter = await startAgentgatewayMetricsExporter();
    prometheus = await startTestPrometheus({
      targets: [exporter.target],
      listenHost: '0.0.0.0',
    });
    port = Number(new URL(prometheus.url).port);

    // A selector-less Service with the endpoint written by hand, as a
    // controller would for a Prometheus pod.
    allowedToken = await newServiceAccount(NAMESPACE, 'portal');
    const core = kubeConfigOf().makeApiClient(CoreV1Api);
    await core.createNamespacedService({
      namespace: NAMESPACE,
      body: {
        metadata: { name: 'prometheus' },
        spec: { ports: [{ name: 'web', port: 9090, targetPort: port }] },
      },
    });
    // The API server proxies only to endpoints that are pods with that IP:
    // a Prometheus pod (never run: no kubelet) with the status a kubelet
    // would write, and its endpoint, as the endpoints controller would.
    const ip = hostAddress();
    await core.createNamespacedPod({
      namespace: NAMESPACE,
      body: {
        metadata: { name: 'prometheus-0', labels: { app: 'prometheus' } },
        spec: {
          serviceAccountName: 'portal',
          automountServiceAccountToken: false,
          containers: [{ name: 'prometheus', image: 'prom/prometheus' }],
        },
      },
    });
    await core.replaceNamespacedPodStatus({
      name: 'prometheus-0',
      namespace: NAMESPACE,
      body: {
        ...(await core.readNamespacedPod({
          name: 'prometheus-0',
          namespace: NAMESPACE,
        })),
        status: { phase: 'Running', podIP: ip, podIPs: [{ ip }] },
      },
    });
    await core.createNamespacedEndpoints({
      namespace: NAMESPACE,
      body: {
        metadata: { name: 'prometheus' },
        subsets: [
          {
            addresses: [
              {
                ip,
                targetRef: {
                  kind: 'Pod',
                  name: 'prometheus-0',
                  namespace: NAMESPACE,
                },
              },
            ],
            ports: [{ name: 'web', port }],
          },
        ],
      },
    });
    await bindRole(
      NAMESPACE,
      {
        name: 'prometheus-reader',
        rules: [
          {
            apiGroups: [''],
            resources: ['services/proxy'],
            // The proxy's resource name is the Service's `scheme:name:port`.
            resourceNames: ['http:prometheus:web'],
            verbs: ['get', 'create'],
          },
        ],
      },
      { kind: 'ServiceAccount', name: 'portal' },
    );
    refusedToken = await newServiceAccount('monitoring-other', 'no-rights');
  });

  afterAll(async () => {
    await prometheus?.stop();
    await exporter?.close();
  });

  const serviceWith = (token: string) => {
    const { server, caData } = tierState();
    return createUsageService({
      config: new ConfigReader({
        kubernetes: {
          clusterLocatorMethods: [
            {
              type: 'config',
              clusters: [
                {
                  name: CLUSTER,
                  url: server,
                  authProvider: 'serviceAccount',
                  serviceAccountToken: token,
                  caData,
                },
              ],
            },
          ],
        },
        aiGateway: {
          metrics: {
            clusters: {
              [CLUSTER]: {
                prometheus: {
                  service: {
                    namespace: NAMESPACE,
                    name: 'prometheus',
                    port: 'web',
                  },
                  timeoutSeconds: 5,
                },
              },
            },
          },
        },
      }),
      logger: silent,
    })!;
  };

  it('reads exact totals through the service proxy with the cluster credentials', async () => {
    const usage = serviceWith(allowedToken);
    const { server } = tierState();
    expect(usage.getStatus(pool)).toEqual({
      configured: true,
      prometheusUrls: [
        `${server}/api/v1/namespaces/${NAMESPACE}/services/http:prometheus:web/proxy`,
      ],
    });
    const start = new Date();
    await new Promise(r => setTimeout(r, 1100));
    const gateway = `${pool.namespace}/${pool.name}`;
    for (let i = 0; i < 3; i++) {
      exporter.recordMcpCall({
        gateway,
        route: `${pool.namespace}/mcp-weather`,
        server: 'weather',
        tool: 'forecast',
        team: 'group:default/team-a',
        project: 'travel',
        consumer: 'app-1',
      });
    }
    exporter.recordMcpCall({
      gateway,
      route: `${pool.namespace}/mcp-weather`,
      server: 'weather',
      tool: 'alerts',
      team: 'group:default/team-b',
      project: 'travel',
      consumer: 'app-2',
    });
    await eventually(
      'the MCP calls read through the API server',
      async () => {
        const totals = await usage.getTotals({
          start,
          end: new Date(),
          pool,
          measures: ['mcpCalls'],
          groupBy: ['team', 'tool'],
        });
        return (
          JSON.stringify(totals.rows) ===
          JSON.stringify([
            {
              group: { team: 'group:default/team-a', tool: 'forecast' },
              values: { mcpCalls: 3 },
            },
            {
              group: { team: 'group:default/team-b', tool: 'alerts' },
              values: { mcpCalls: 1 },
            },
          ])
        );
      },
      30_000,
      500,
    );
  });

  it('says the API server refused the credentials when the account may not proxy', async () => {
    const usage = serviceWith(refusedToken);
    await expect(
      usage.getTotals({
        start: new Date(Date.now() - 60_000),
        end: new Date(),
        pool,
        measures: ['mcpCalls'],
      }),
    ).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message: expect.stringContaining(
        "refused the backend's credentials (HTTP 403)",
      ),
    });
  });
});
