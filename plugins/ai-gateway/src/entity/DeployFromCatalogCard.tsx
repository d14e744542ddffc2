import {
  InfoCard,
  LinkButton,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  MCP_REGISTRY_CATALOG_SOURCE,
  serverJsonOfDefinition,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { aiGatewayApiRef } from '../api/AiGatewayApi';
import { deployFromCatalogPath } from './mcpRegistryEntry';

/**
 * On the page of an API entity that holds a server.json: what the gateway
 * would run (a remote it calls, or an image it deploys), the secrets the one
 * who deploys it gives, and a button to the "Deploy from an MCP registry
 * entry" template with this entry chosen; or why the gateway cannot serve it.
 *
 * @public
 */
export function DeployFromCatalogCard() {
  const { entity } = useEntity();
  const api = useApi(aiGatewayApiRef);
  const server = serverJsonOfDefinition(
    (entity.spec as { definition?: unknown } | undefined)?.definition,
  );
  const entry = useAsync(async () => {
    if (!server) return undefined;
    const page = await api.listMcpRegistryEntries(MCP_REGISTRY_CATALOG_SOURCE, {
      search: server.name,
      limit: 100,
    });
    return page.servers.find(e => e.server.name === server.name);
  }, [api, server?.name]);

  let body;
  if (!server) {
    body = (
      <Typography variant="body2">
        This API&apos;s definition is not a server.json, so it cannot be
        deployed to a gateway pool.
      </Typography>
    );
  } else if (entry.loading) {
    body = <Progress />;
  } else if (entry.error) {
    body = (
      <ResponseErrorPanel
        title="Whether the gateway can serve it could not be read"
        error={entry.error}
      />
    );
  } else if (!entry.value) {
    body = (
      <Typography variant="body2">
        The portal does not offer {server.name} from the catalog (the catalog
        source may be turned off with aiGateway.mcpRegistry.catalog.enabled).
      </Typography>
    );
  } else {
    const { value } = entry;
    const runs =
      value.kind === 'remote'
        ? 'The gateway calls its remote server.'
        : 'The gateway runs its container image in the pool.';
    body = (
      <Box data-testid="deploy-from-catalog">
        <Typography variant="body2">
          {server.title ?? server.name} {server.version}
        </Typography>
        {value.importable ? (
          <>
            <Typography variant="body2">{runs}</Typography>
            {value.secrets.length > 0 && (
              <Typography variant="body2">
                Secrets to give (as Kubernetes Secret references):{' '}
                {value.secrets
                  .map(s => `${s.name}${s.required ? '' : ' (optional)'}`)
                  .join(', ')}
              </Typography>
            )}
            <Box mt={2}>
              <LinkButton
                to={deployFromCatalogPath(server.name)}
                color="primary"
                variant="contained"
              >
                Deploy to a pool
              </LinkButton>
            </Box>
          </>
        ) : (
          <Typography variant="body2" data-testid="deploy-from-catalog-refused">
            The gateway cannot serve this entry: {value.reason}
          </Typography>
        )}
      </Box>
    );
  }
  return <InfoCard title="Serve through AI Gateway">{body}</InfoCard>;
}
