import {
  AI_GATEWAY_POOL_ANNOTATION,
  authRequirement,
  effectivePolicy,
  policyInWords,
  type Policy,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { aiGatewayApiRef } from '../../api/AiGatewayApi';
import { CopyableText } from '../../components/CopyableText';
import { CodeBlock } from '../../components/CodeBlock';
import { DetailsTable } from '../../components/DetailsTable';

/** The fields of an mcp-server API definition (as the catalog module writes it). */
type McpDefinition = {
  url?: string;
  transport?: string;
  clientTransport?: string;
  pool?: string;
  tools?: { allow?: string[]; deny?: string[] };
};

function parseDefinition(text: string): McpDefinition | undefined {
  try {
    const parsed = JSON.parse(text);
    return parsed && typeof parsed === 'object' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** The authentication and rules of the pool's effective policy, read live. */
function LivePolicy({ pool, name }: { pool?: string; name: string }) {
  const api = useApi(aiGatewayApiRef);
  const policies = useAsync(async () => {
    if (!pool) throw new Error('the entity names no pool');
    return api.listInPool('policies', pool);
  }, [api, pool]);
  if (policies.loading) return <Progress />;
  if (policies.error) {
    return (
      <Typography variant="body2" data-testid="definition-auth">
        Authentication unknown: the pool's policies could not be read (
        {policies.error.message}).
      </Typography>
    );
  }
  const sections = effectivePolicy(
    policies.value!.map(p => p.spec as Policy),
    { level: 'backend', target: name },
  );
  const rules = policyInWords(sections).filter(
    s => s.section !== 'jwtAuth' && s.section !== 'apiKeyAuth',
  );
  return (
    <>
      <Typography variant="body2" data-testid="definition-auth">
        {authRequirement(sections).summary}
      </Typography>
      {rules.length > 0 && (
        <ul style={{ margin: '4px 0 0', paddingLeft: 20 }}>
          {rules.map(r => (
            <li key={r.section}>
              <Typography variant="body2" component="span">
                {r.text}
              </Typography>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

/**
 * The Definition tab of an MCP server's API entity: what the definition
 * says in words (endpoint, transports, tools) with the authentication the
 * pool's effective policy asks for now, and the raw definition.
 *
 * @public
 */
export function McpDefinitionContent() {
  const { entity } = useEntity();
  const raw = String(entity.spec?.definition ?? '');
  const definition = parseDefinition(raw);
  const pool =
    definition?.pool ??
    entity.metadata.annotations?.[AI_GATEWAY_POOL_ANNOTATION];
  const tools = definition?.tools ?? {};
  const allow = tools.allow ?? [];
  const deny = tools.deny ?? [];
  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={6}>
        <InfoCard title="MCP server definition">
          {definition ? (
            <Box data-testid="definition-readable">
              <DetailsTable
                rows={{
                  Endpoint: definition.url ? (
                    <CopyableText
                      text={definition.url}
                      testId="definition-url"
                    />
                  ) : (
                    'not known yet'
                  ),
                  'Clients connect with':
                    definition.clientTransport === 'streamable-http' ||
                    !definition.clientTransport
                      ? 'MCP Streamable HTTP (POST with Accept: application/json, text/event-stream)'
                      : definition.clientTransport,
                  'The server behind the gateway speaks':
                    definition.transport ?? 'unknown',
                  Pool: pool ?? 'unknown',
                  'Allowed tools': allow.length ? allow.join(', ') : 'all',
                  'Denied tools': deny.length ? deny.join(', ') : 'none',
                }}
              />
              <Box mt={2}>
                <Typography variant="subtitle2" component="h3">
                  Authentication and rules (the pool's policies now)
                </Typography>
                <LivePolicy pool={pool} name={entity.metadata.name} />
              </Box>
            </Box>
          ) : (
            <Typography variant="body2" data-testid="definition-readable">
              The definition is not a JSON document; it is shown as it is.
            </Typography>
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <InfoCard title="Raw definition">
          <CodeBlock
            text={raw}
            language={definition ? 'json' : 'text'}
            label="Raw definition"
            copyLabel="Copy the definition"
            testId="definition-raw"
            wrapLongLines
          />
        </InfoCard>
      </Grid>
    </Grid>
  );
}
