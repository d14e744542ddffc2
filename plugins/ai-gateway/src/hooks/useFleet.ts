import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import useInterval from 'react-use/esm/useInterval';
import {
  aiGatewayApiRef,
  type AiGatewayObject,
  type FleetEntry,
} from '../api/AiGatewayApi';

/** How often the fleet is read again while the page is open. */
const FLEET_REFRESH_MS = 15_000;

/** The pools the user may see and what they serve. */
export type FleetInventory = {
  pools: FleetEntry[];
  mcpServers: AiGatewayObject[];
  aiBackends: AiGatewayObject[];
  /** Only when asked for (the home page matches their owners to the user). */
  projects: AiGatewayObject[];
};

/**
 * The fleet with the MCP servers and AI backends of its pools (and the
 * projects, when `withProjects`), read again every 15 s (the last answer stays
 * shown meanwhile).
 */
export function useFleetInventory(options: { withProjects?: boolean } = {}) {
  const api = useApi(aiGatewayApiRef);
  const { withProjects = false } = options;
  const inventory = useAsyncRetry(async (): Promise<FleetInventory> => {
    const [pools, mcpServers, aiBackends, projects] = await Promise.all([
      api.getFleet(),
      api.listObjects('mcp-servers'),
      api.listObjects('ai-backends'),
      withProjects ? api.listObjects('projects') : Promise.resolve([]),
    ]);
    return { pools, mcpServers, aiBackends, projects };
  }, [api, withProjects]);
  useInterval(inventory.retry, FLEET_REFRESH_MS);
  return inventory;
}
