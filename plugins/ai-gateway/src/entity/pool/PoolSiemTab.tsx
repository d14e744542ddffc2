import { EmptyState, InfoCard, WarningPanel } from '@backstage/core-components';
import type { SiemFormat } from '@ai-gateway-backstage/plugin-ai-gateway-common';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { CopyableText } from '../../components/CopyableText';
import { DetailsTable } from '../../components/DetailsTable';
import { secretRefLabel } from '../../components/poolLabels';
import { PoolTabFrame } from '../../components/PoolTabFrame';

export const SIEM_FORMAT_LABELS: Record<SiemFormat, string> = {
  json: 'JSON (no longer supported)',
  cef: 'CEF (no longer supported)',
  leef: 'LEEF (no longer supported)',
  otlp: 'OpenTelemetry (OTLP/HTTP)',
};

/** The OTLP/HTTP path the gateway posts to: the endpoint's own, or /v1/logs. */
function otlpPath(endpoint: string): string {
  const path = new URL(endpoint).pathname;
  return path === '/' ? '/v1/logs (the OTLP default)' : path;
}

/**
 * The SIEM exporter of the pool, or a hint on how to add one.
 *
 * @public
 */
export function PoolSiemTab() {
  return (
    <PoolTabFrame title="SIEM">
      {pool => {
        const { siem } = pool;
        if (!siem) {
          return (
            <Grid item xs={12}>
              <InfoCard title="SIEM exporter">
                <EmptyState
                  missing="field"
                  title="No SIEM exporter configured"
                  description={`To send the gateway's access logs to a SIEM, add a siem section to pool ${pool.name}: the endpoint of an OTLP collector (an http or https URL; the gateway exports access logs over OTLP/HTTP, and the collector forwards them to the SIEM in the format it takes) and, when the endpoint needs a token, a reference to the Kubernetes Secret holding it.`}
                />
              </InfoCard>
            </Grid>
          );
        }
        const exported = siem.format === 'otlp';
        return (
          <Grid item xs={12}>
            <InfoCard title="SIEM exporter">
              <Box data-testid="pool-siem">
                <DetailsTable
                  rows={{
                    Endpoint: <CopyableText text={siem.endpoint} />,
                    Format: SIEM_FORMAT_LABELS[siem.format],
                    'OTLP path': exported ? otlpPath(siem.endpoint) : undefined,
                    // Only the reference: the token itself stays in the cluster.
                    Token: siem.secretRef
                      ? `${secretRefLabel(
                          siem.secretRef,
                        )} (sent as Authorization: Bearer)`
                      : 'None (the endpoint takes no credentials)',
                  }}
                />
              </Box>
              <Box mt={2} data-testid="siem-export">
                {exported ? (
                  <Typography variant="body2" color="textSecondary">
                    The gateway exports every access log record to this endpoint
                    over OTLP/HTTP (an AgentgatewayPolicy with
                    frontend.accessLog.otlp on the Gateway, through an
                    AgentgatewayBackend that carries the TLS and token
                    settings).
                  </Typography>
                ) : (
                  <WarningPanel
                    severity="warning"
                    title="Not exported"
                    message={`agentgateway exports access logs only over OTLP, so the ${siem.format} format of this pool is not rendered. Set format to otlp and point the endpoint at an OTLP collector (such as the OpenTelemetry Collector) that forwards to the SIEM in the format it takes.`}
                    defaultExpanded
                  />
                )}
              </Box>
            </InfoCard>
          </Grid>
        );
      }}
    </PoolTabFrame>
  );
}
