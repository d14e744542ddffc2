import type { ManifestObject } from '@ai-gateway-backstage/plugin-ai-gateway-node';
import { PoolRenderContext } from './context';

export const REDIS_IMAGE = 'redis:7.4-alpine';
const REDIS_REPLICAS = 3;
const SENTINEL_MASTER = 'mymaster';
/** The redis user of the official image. */
const REDIS_UID = 999;

function names(ctx: PoolRenderContext) {
  const base = ctx.name(ctx.pool.name, 'redis');
  return { base, headless: ctx.name(ctx.pool.name, 'redis', 'headless') };
}

/**
 * How the pool's rate-limit service reaches Redis, as the environment of
 * Envoy's ratelimit (REDIS_TYPE, REDIS_URL, REDIS_TLS, REDIS_AUTH; secrets
 * by reference), and the address to wait for before it starts.
 */
export function redisConnection(ctx: PoolRenderContext): {
  env: Array<Record<string, unknown>>;
  host: string;
  port: number;
} {
  const { redis } = ctx.pool;
  if (redis.mode === 'auto') {
    const host = ctx.serviceHost(names(ctx).base);
    return {
      env: [
        { name: 'REDIS_TYPE', value: 'sentinel' },
        // The master's name, then the Sentinels to ask where it is.
        { name: 'REDIS_URL', value: `${SENTINEL_MASTER},${host}:26379` },
      ],
      host,
      port: 26379,
    };
  }
  const address = `${redis.host}:${redis.port}`;
  // ratelimit takes a redis:// URL to SELECT a database other than 0.
  const url = redis.database ? `redis://${address}/${redis.database}` : address;
  const password = redis.passwordSecretRef;
  // REDIS_AUTH is "password" or "user:password"; Kubernetes expands
  // $(REDIS_PASSWORD) from the variable before it, so no value is inline.
  const auth = password
    ? `${redis.username ? `${redis.username}:` : ''}$(REDIS_PASSWORD)`
    : redis.username && `${redis.username}:`;
  return {
    env: [
      { name: 'REDIS_TYPE', value: 'single' },
      { name: 'REDIS_URL', value: url },
      { name: 'REDIS_TLS', value: String(redis.tls) },
      ...(password
        ? [
            {
              name: 'REDIS_PASSWORD',
              valueFrom: {
                secretKeyRef: { name: password.name, key: password.key },
              },
            },
          ]
        : []),
      ...(auth ? [{ name: 'REDIS_AUTH', value: auth }] : []),
    ],
    host: redis.host,
    port: redis.port,
  };
}

/**
 * `auto`: a 3-node Redis with Sentinel (StatefulSet, headless and client
 * Services, PDB keeping a quorum, a volume claim per node). `manual`: nothing
 * runs in the cluster; the rate-limit service is pointed at the given host
 * (see `redisConnection`).
 */
export function renderRedis(ctx: PoolRenderContext): ManifestObject[] {
  const { redis } = ctx.pool;
  if (redis.mode !== 'auto') return [];
  const { base, headless } = names(ctx);
  const component = 'redis';
  const first = `${base}-0.${ctx.serviceHost(headless)}`;
  const ports = [
    { name: 'redis', port: 6379, targetPort: 'redis', protocol: 'TCP' },
    { name: 'sentinel', port: 26379, targetPort: 'sentinel', protocol: 'TCP' },
  ];
  const config: ManifestObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: ctx.meta(base, component),
    data: {
      // Node 0 starts as primary; Sentinel promotes another when it fails.
      'start-redis.sh': [
        '#!/bin/sh',
        'set -e',
        'cp /config/redis.conf /data/redis.conf',
        `if [ "$(hostname)" != "${base}-0" ]; then`,
        `  echo "replicaof ${first} 6379" >> /data/redis.conf`,
        'fi',
        'exec redis-server /data/redis.conf',
        '',
      ].join('\n'),
      'start-sentinel.sh': [
        '#!/bin/sh',
        'set -e',
        'cat > /data/sentinel.conf <<EOF',
        'port 26379',
        'sentinel resolve-hostnames yes',
        'sentinel announce-hostnames yes',
        `sentinel announce-ip $(hostname).${ctx.serviceHost(headless)}`,
        `sentinel monitor ${SENTINEL_MASTER} ${first} 6379 2`,
        `sentinel down-after-milliseconds ${SENTINEL_MASTER} 5000`,
        `sentinel failover-timeout ${SENTINEL_MASTER} 60000`,
        `sentinel parallel-syncs ${SENTINEL_MASTER} 1`,
        'EOF',
        'exec redis-sentinel /data/sentinel.conf',
        '',
      ].join('\n'),
      'redis.conf': [
        'port 6379',
        'dir /data',
        'appendonly yes',
        'protected-mode no',
        `replica-announce-ip ${'${HOSTNAME}'}`,
        '',
      ].join('\n'),
    },
  };
  const headlessService: ManifestObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: ctx.meta(headless, component, { workloadName: base }),
    spec: {
      clusterIP: 'None',
      publishNotReadyAddresses: true,
      selector: ctx.selector(component, base),
      ports,
    },
  };
  const clientService: ManifestObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: ctx.meta(base, component),
    spec: { type: 'ClusterIP', selector: ctx.selector(component, base), ports },
  };
  const container = (
    name: string,
    script: string,
    port: number,
    check: string[],
  ) => ({
    name,
    image: REDIS_IMAGE,
    command: ['sh', `/config/${script}`],
    ports: [{ name, containerPort: port, protocol: 'TCP' }],
    readinessProbe: { exec: { command: check }, periodSeconds: 5 },
    livenessProbe: {
      tcpSocket: { port },
      initialDelaySeconds: 15,
      periodSeconds: 10,
    },
    resources: {
      requests: { cpu: '50m', memory: '64Mi' },
      limits: { cpu: '500m', memory: '512Mi' },
    },
    securityContext: {
      runAsNonRoot: true,
      runAsUser: REDIS_UID,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    },
    volumeMounts: [
      { name: 'data', mountPath: '/data' },
      { name: 'config', mountPath: '/config' },
    ],
  });
  const statefulSet: ManifestObject = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: ctx.meta(base, component),
    spec: {
      replicas: REDIS_REPLICAS,
      serviceName: headless,
      podManagementPolicy: 'OrderedReady',
      selector: { matchLabels: ctx.selector(component, base) },
      template: {
        metadata: {
          labels: ctx.labels(component, 'runtime', base),
          ...(Object.keys(ctx.pool.annotations).length
            ? { annotations: { ...ctx.pool.annotations } }
            : {}),
        },
        spec: {
          securityContext: {
            runAsNonRoot: true,
            runAsUser: REDIS_UID,
            fsGroup: REDIS_UID,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          affinity: {
            podAntiAffinity: {
              preferredDuringSchedulingIgnoredDuringExecution: [
                {
                  weight: 100,
                  podAffinityTerm: {
                    topologyKey: 'kubernetes.io/hostname',
                    labelSelector: {
                      matchLabels: ctx.selector(component, base),
                    },
                  },
                },
              ],
            },
          },
          containers: [
            container('redis', 'start-redis.sh', 6379, ['redis-cli', 'ping']),
            container('sentinel', 'start-sentinel.sh', 26379, [
              'redis-cli',
              '-p',
              '26379',
              'ping',
            ]),
          ],
          volumes: [{ name: 'config', configMap: { name: base } }],
        },
      },
      volumeClaimTemplates: [
        {
          metadata: { name: 'data' },
          spec: {
            accessModes: ['ReadWriteOnce'],
            resources: { requests: { storage: redis.storageSize } },
          },
        },
      ],
    },
  };
  const pdb: ManifestObject = {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: ctx.meta(base, component),
    spec: {
      // Sentinel needs a quorum of 2 to fail over.
      minAvailable: 2,
      selector: { matchLabels: ctx.selector(component, base) },
    },
  };
  return [config, headlessService, clientService, statefulSet, pdb];
}
