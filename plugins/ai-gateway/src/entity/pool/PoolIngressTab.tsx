import {
  EmptyState,
  InfoCard,
  Table,
  type TableColumn,
} from '@backstage/core-components';
import {
  poolHosts,
  type IngressKind,
  type IngressProvider,
  type Pool,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import {
  annotationLines,
  INGRESS_KIND_LABELS,
} from '../../components/poolLabels';
import { PoolTabFrame } from '../../components/PoolTabFrame';
import { ACCESSIBLE_TABLE_OPTIONS } from '../../components/tableOptions';

/** What `className` selects for each kind. */
const CLASS_MEANING: Record<IngressKind, string> = {
  'kubernetes-ingress': 'Ingress class',
  istio: 'Istio ingress gateway (istio selector)',
  traefik: 'Entry point',
  'gateway-api': 'Parent Gateway',
  'openshift-route': 'Router',
};

type IngressRow = IngressProvider & { id: string; hosts: string[] };

function classOrController(row: IngressRow): string {
  const meaning = CLASS_MEANING[row.kind];
  if (row.kind === 'openshift-route') {
    // Routes have no class; the renderer leaves className out.
    return `${meaning}: the cluster's default${
      row.className ? ` (${row.className} is not used by Routes)` : ''
    }`;
  }
  return `${meaning}: ${row.className ?? "not set (the renderer's default)"}`;
}

function rowsOf(pool: Pool): IngressRow[] {
  const hosts = poolHosts(pool);
  return pool.ingress.map(provider => ({
    ...provider,
    id: provider.kind,
    // A provider's own host replaces the pool's api and mcp hosts.
    hosts: provider.host ? [provider.host] : [hosts.api, hosts.mcp],
  }));
}

const lines = (values: string[], testId: string) => (
  <div data-testid={testId}>
    {values.map(v => (
      <Typography key={v} variant="body2" style={{ fontFamily: 'monospace' }}>
        {v}
      </Typography>
    ))}
  </div>
);

/**
 * How traffic from outside the cluster reaches the pool's gateway.
 *
 * @public
 */
export function PoolIngressTab() {
  return (
    <PoolTabFrame title="Ingress providers">
      {pool => {
        const rows = rowsOf(pool);
        if (rows.length === 0) {
          const hosts = poolHosts(pool);
          return (
            <Grid item xs={12}>
              <InfoCard title="Ingress providers">
                <EmptyState
                  missing="content"
                  title="No ingress providers"
                  description={`The gateway is reached through its LoadBalancer Service at ${hosts.api} and ${hosts.mcp}. Add a provider (Kubernetes Ingress, Istio, Traefik, Gateway API or OpenShift Route) to the pool's ingress list to route traffic through it; more than one may be enabled.`}
                />
              </InfoCard>
            </Grid>
          );
        }
        const columns: TableColumn<IngressRow>[] = [
          {
            title: 'Type',
            field: 'kind',
            highlight: true,
            render: r => (
              <span data-testid={`ingress-${r.kind}`}>
                {INGRESS_KIND_LABELS[r.kind]}
              </span>
            ),
          },
          {
            title: 'Class / controller',
            field: 'className',
            render: classOrController,
          },
          {
            title: 'TLS',
            field: 'tls',
            render: r => (r.tls ? 'Enabled' : 'Disabled'),
          },
          {
            title: 'Hosts',
            field: 'hosts',
            render: r => lines(r.hosts, `ingress-hosts-${r.kind}`),
          },
          {
            title: 'Annotations',
            field: 'annotations',
            render: r =>
              lines(
                annotationLines(r.annotations) ?? ['none'],
                `ingress-annotations-${r.kind}`,
              ),
          },
        ];
        return (
          <Grid item xs={12}>
            <Table<IngressRow>
              title={`Ingress providers (${rows.length})`}
              options={{
                ...ACCESSIBLE_TABLE_OPTIONS,
                search: false,
                paging: false,
                padding: 'dense',
              }}
              columns={columns}
              data={rows}
            />
          </Grid>
        );
      }}
    </PoolTabFrame>
  );
}
