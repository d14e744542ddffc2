import { InfoCard, Table, type TableColumn } from '@backstage/core-components';
import {
  poolHosts,
  poolServices,
  poolWildcardDomain,
  type Dns01Provider,
  type Pool,
  type PoolService,
  type PoolTls,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import Grid from '@material-ui/core/Grid';
import { CopyableText } from '../../components/CopyableText';
import { DetailsTable } from '../../components/DetailsTable';
import { secretRefLabel } from '../../components/poolLabels';
import { PoolTabFrame } from '../../components/PoolTabFrame';
import { ACCESSIBLE_TABLE_OPTIONS } from '../../components/tableOptions';

export const DNS01_PROVIDER_LABELS: Record<Dns01Provider, string> = {
  route53: 'Amazon Route 53',
  cloudflare: 'Cloudflare',
  clouddns: 'Google Cloud DNS',
  azuredns: 'Azure DNS',
  digitalocean: 'DigitalOcean',
  rfc2136: 'RFC 2136 (TSIG)',
};

/** What each service host is for (the Gateway has a listener for each). */
const SERVICE_PURPOSES: Record<PoolService, string> = {
  api: 'The OpenAI-compatible gateway endpoint',
  mcp: 'The MCP gateway',
};

type LetsEncrypt = Extract<PoolTls, { mode: 'letsencrypt' }>;

function letsEncryptRows(tls: LetsEncrypt) {
  const { dns01 } = tls;
  return {
    Mode: "Let's Encrypt: cert-manager requests the wildcard certificate with a DNS-01 challenge (no inbound HTTP needed)",
    Issuer:
      tls.issuer === 'production'
        ? 'Production'
        : 'Staging: browsers do not trust it; switch to production once issuance works end to end (production is rate-limited)',
    Email: tls.email,
    'DNS-01 provider': DNS01_PROVIDER_LABELS[dns01.provider],
    'DNS zone': dns01.dnsZone,
    // Only the reference: the token itself stays in the cluster.
    Credentials: dns01.credentialsSecretRef
      ? secretRefLabel(dns01.credentialsSecretRef)
      : 'Workload identity (no Secret)',
    'AWS region': dns01.region,
    'Access key ID': dns01.accessKeyId,
    'Google Cloud project': dns01.project,
    'Azure subscription': dns01.subscriptionId,
    'Resource group': dns01.resourceGroupName,
    'Client ID': dns01.clientId,
    'Tenant ID': dns01.tenantId,
    Nameserver: dns01.nameserver,
    'TSIG key name': dns01.tsigKeyName,
  };
}

function tlsRows(pool: Pool) {
  const { tls } = pool;
  const certificate = { 'Wildcard certificate': poolWildcardDomain(pool) };
  switch (tls.mode) {
    case 'letsencrypt':
      return { ...letsEncryptRows(tls), ...certificate };
    case 'provided':
      return {
        Mode: 'Provided: a wildcard certificate your platform team created',
        Secret: `${tls.wildcardSecretName} (tls.crt / tls.key in namespace ${pool.namespace})`,
        ...certificate,
      };
    case 'selfsigned':
    default:
      return {
        Mode: 'Self-signed: cert-manager issues a self-signed wildcard certificate; clients must trust it (air-gapped sites)',
        ...certificate,
      };
  }
}

type HostRow = {
  id: PoolService;
  purpose: string;
  label: string;
  host: string;
};

const hostColumns: TableColumn<HostRow>[] = [
  { title: 'Service', field: 'id', highlight: true },
  { title: 'Purpose', field: 'purpose' },
  { title: 'Subdomain label', field: 'label' },
  {
    title: 'Host',
    field: 'host',
    render: r => <CopyableText text={r.host} testId={`tls-host-${r.id}`} />,
  },
];

/**
 * The certificate the gateway serves and the host names it covers.
 *
 * @public
 */
export function PoolTlsTab() {
  return (
    <PoolTabFrame title="TLS & Domains">
      {pool => {
        const hosts = poolHosts(pool);
        const { baseDomain, separator, subdomains } = pool.domains;
        const rows: HostRow[] = poolServices.map(service => ({
          id: service,
          purpose: SERVICE_PURPOSES[service],
          label: subdomains[service],
          host: hosts[service],
        }));
        return (
          <>
            <Grid item xs={12} md={6}>
              <InfoCard title="TLS" variant="gridItem">
                <div data-testid="pool-tls">
                  <DetailsTable rows={tlsRows(pool)} />
                </div>
              </InfoCard>
            </Grid>
            <Grid item xs={12} md={6}>
              <InfoCard title="Domains" variant="gridItem">
                <div data-testid="pool-domains">
                  <DetailsTable
                    rows={{
                      'Base domain': baseDomain,
                      Separator:
                        separator === '.'
                          ? `"." (${
                              hosts.api
                            }, certificate ${poolWildcardDomain(pool)})`
                          : `"-" (${
                              hosts.api
                            }, which fits under the parent wildcard ${poolWildcardDomain(
                              pool,
                            )})`,
                      DNS: `A wildcard record ${poolWildcardDomain(
                        pool,
                      )} pointing at the gateway's external address`,
                    }}
                  />
                </div>
              </InfoCard>
            </Grid>
            <Grid item xs={12}>
              <Table<HostRow>
                title="Resulting hosts"
                options={{
                  ...ACCESSIBLE_TABLE_OPTIONS,
                  search: false,
                  paging: false,
                  padding: 'dense',
                }}
                columns={hostColumns}
                data={rows}
              />
            </Grid>
          </>
        );
      }}
    </PoolTabFrame>
  );
}
