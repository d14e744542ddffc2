import { EmptyState, InfoCard, WarningPanel } from '@backstage/core-components';
import type { SiemFormat } from '@ai-gateway-backstage/plugin-ai-gateway-common';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import { CopyableText } from '../../components/CopyableText';
import { DetailsTable } from '../../components/DetailsTable';
import { secretRefLabel } from '../../components/poolLabels';
import { PoolTabFrame } from '../../components/PoolTabFrame';

export const SIEM_FORMAT_LABELS: Record<SiemFormat, string> = {
  json: 'JSON',
  cef: 'CEF (Common Event Format)',
  leef: 'LEEF (Log Event Extended Format)',
  otlp: 'OpenTelemetry (OTLP)',
};

/**
 * Mirrors the warning the agentgateway renderer emits for a pool with a SIEM
 * exporter: the settings are kept but nothing is deployed for them yet.
 */
export const SIEM_NOT_RENDERED =
  "The agentgateway renderer does not render the SIEM exporter yet: it is meant to be configured through the gateway's telemetry settings, which have no agentgateway object yet. These settings are stored and the pool's rendered manifests carry a warning about it, but no exporter runs in the cluster.";

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
                  description={`To send the gateway's logs to a SIEM, add a siem section to pool ${pool.name}: the endpoint (an https URL), the format (JSON, CEF, LEEF or OTLP) and, when the endpoint needs a token, a reference to the Kubernetes Secret holding it. Note that the agentgateway renderer does not render SIEM export yet.`}
                />
              </InfoCard>
            </Grid>
          );
        }
        return (
          <Grid item xs={12}>
            <InfoCard title="SIEM exporter">
              <Box data-testid="pool-siem">
                <DetailsTable
                  rows={{
                    Endpoint: <CopyableText text={siem.endpoint} />,
                    Format: SIEM_FORMAT_LABELS[siem.format],
                    // Only the reference: the token itself stays in the cluster.
                    Token: siem.secretRef
                      ? secretRefLabel(siem.secretRef)
                      : 'None (the endpoint takes no credentials)',
                  }}
                />
              </Box>
              <Box mt={2} data-testid="siem-not-rendered">
                <WarningPanel
                  severity="warning"
                  title="Not deployed yet"
                  message={SIEM_NOT_RENDERED}
                  defaultExpanded
                />
              </Box>
            </InfoCard>
          </Grid>
        );
      }}
    </PoolTabFrame>
  );
}
