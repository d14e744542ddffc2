import { InfoCard } from '@backstage/core-components';
import {
  poolImages,
  type Pool,
  type PoolRedis,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import Grid from '@material-ui/core/Grid';
import { DetailsTable } from '../../components/DetailsTable';
import { annotationLines, secretRefLabel } from '../../components/poolLabels';
import { PoolTabFrame } from '../../components/PoolTabFrame';

const cpuMemory = (r: { cpu: string; memory: string }) =>
  `CPU ${r.cpu}, memory ${r.memory}`;

function redisRows(redis: PoolRedis, namespace: string) {
  // What the pool's Redis is for, whichever runs it.
  const usedFor =
    "The rate-limit counters of the pool's policies: a rate-limit service in the namespace keeps them here, so every gateway replica draws on the same budget";
  if (redis.mode === 'auto') {
    return {
      Mode: `Auto-install: a 3-node Redis with Sentinel runs in namespace ${namespace}`,
      'Used for': usedFor,
      'Storage per node': redis.storageSize,
    };
  }
  return {
    Mode: 'Manual: an existing Redis the platform team operates',
    'Used for': usedFor,
    Host: redis.host,
    Port: String(redis.port),
    Username: redis.username ?? 'Not set',
    // Only the reference is stored and shown, never the password.
    Password: redis.passwordSecretRef
      ? secretRefLabel(redis.passwordSecretRef)
      : 'None (Redis without AUTH)',
    Database: String(redis.database),
    TLS: redis.tls ? 'Enabled' : 'Disabled',
  };
}

function imageRows(pool: Pool) {
  const images = poolImages(pool);
  const withDefault = (image: string, set: string | undefined) =>
    set ? image : `${image} (release default)`;
  return {
    'Gateway image': withDefault(images.gateway, pool.images.gateway),
    'Operator image':
      pool.delivery.mode === 'direct'
        ? `${withDefault(
            images.operator,
            pool.images.operator,
          )}; not used, as no operator runs with direct delivery`
        : withDefault(images.operator, pool.images.operator),
    'Registry credentials Secret': images.registryCredentialsSecret
      ? `${images.registryCredentialsSecret} (dockerconfigjson Secret in namespace ${pool.namespace})`
      : 'None: images are pulled without credentials',
  };
}

/**
 * Pool-level resources, scaling, images, Redis and annotations.
 *
 * @public
 */
export function PoolConfigurationTab() {
  return (
    <PoolTabFrame title="Configuration">
      {pool => (
        <>
          <Grid item xs={12} md={6}>
            <InfoCard
              title="Resources and scaling"
              subheader="Defaults for the gateway and for MCP servers that set none"
              variant="gridItem"
            >
              <div data-testid="pool-resources">
                <DetailsTable
                  rows={{
                    Requests: cpuMemory(pool.resources.requests),
                    Limits: cpuMemory(pool.resources.limits),
                    'Gateway replicas': String(pool.replicas),
                    'Max replicas': `${pool.maxReplicas} (autoscaling upper bound for the gateway and each MCP server)`,
                  }}
                />
              </div>
            </InfoCard>
          </Grid>
          <Grid item xs={12} md={6}>
            <InfoCard title="Images" variant="gridItem">
              <div data-testid="pool-images">
                <DetailsTable rows={imageRows(pool)} />
              </div>
            </InfoCard>
          </Grid>
          <Grid item xs={12} md={6}>
            <InfoCard title="Redis" variant="gridItem">
              <div data-testid="pool-redis">
                <DetailsTable rows={redisRows(pool.redis, pool.namespace)} />
              </div>
            </InfoCard>
          </Grid>
          <Grid item xs={12} md={6}>
            <InfoCard
              title="Annotations"
              subheader="Added to every workload the pool deploys"
              variant="gridItem"
            >
              <div data-testid="pool-annotations">
                <DetailsTable
                  rows={{
                    Annotations: annotationLines(pool.annotations) ?? 'None',
                  }}
                />
              </div>
            </InfoCard>
          </Grid>
        </>
      )}
    </PoolTabFrame>
  );
}
