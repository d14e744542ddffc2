import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { providerInWords } from '@ai-gateway-backstage/plugin-ai-gateway-common';
import { ServedState } from '../components/ServedState';
import { useObjectWithPoolStatus } from '../hooks/useObjectWithPoolStatus';

/**
 * An AI backend: whether it is served (and if not, why and what to do), provider groups by priority with per-provider health, served models.
 *
 * @public
 */
export function AiBackendCard() {
  const data = useObjectWithPoolStatus('ai-backends');
  let body;
  if (data.loading && !data.value) body = <Progress />;
  else if (data.error)
    body = (
      <ResponseErrorPanel
        title="The AI backend could not be loaded"
        error={data.error}
      />
    );
  else {
    const { object: backend, pool, status } = data.value!;
    const spec = backend.spec.spec;
    const component = status?.heartbeat?.components.find(
      c => c.name === `AgentgatewayBackend/ai-${backend.name}`,
    );
    // agentgateway's status has conditions per backend, not per provider: each
    // provider shows its backend's state until the gateway reports more.
    let providerHealth = { label: 'health not reported', color: '#616161' };
    let gatewayStatus = 'not reported';
    if (component?.healthy) {
      providerHealth = {
        label: 'serving (backend accepted)',
        color: '#2e7d32',
      };
      gatewayStatus = 'accepted';
    } else if (component) {
      providerHealth = {
        label: 'not serving (backend not accepted)',
        color: '#c62828',
      };
      gatewayStatus = `not accepted (${component.message})`;
    }
    body = (
      <Box data-testid="ai-backend-card">
        <ServedState
          what={`AI backend ${backend.name}`}
          poolName={backend.spec.pool}
          pool={pool?.spec as any}
          status={status}
        />
        <Box mt={1} />
        <Typography variant="body2">
          {spec.kind} backend in pool {backend.spec.pool}; gateway status:{' '}
          {gatewayStatus}
        </Typography>
        {spec.kind === 'ai' &&
          spec.groups.map((group: any, i: number) => (
            <Box key={i} mt={1} data-testid={`provider-group-${i}`}>
              <Typography variant="subtitle2">
                {i === 0 ? 'Primary group' : `Failover group ${i}`}
              </Typography>
              {group.providers.map((p: any) => (
                <Typography
                  key={p.name}
                  variant="body2"
                  data-testid={`provider-${p.name}`}
                >
                  {providerInWords(p)}
                  {' · '}
                  <span style={{ color: providerHealth.color }}>
                    {providerHealth.label}
                  </span>
                </Typography>
              ))}
            </Box>
          ))}
        {spec.kind === 'ai' && (
          <Typography variant="body2" style={{ marginTop: 8 }}>
            Models:{' '}
            {spec.models.length
              ? spec.models.join(', ')
              : 'any (passed through)'}
          </Typography>
        )}
      </Box>
    );
  }
  return <InfoCard title="AI backend">{body}</InfoCard>;
}
