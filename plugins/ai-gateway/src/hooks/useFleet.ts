import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import useInterval from 'react-use/esm/useInterval';
import { aiGatewayApiRef } from '../api/AiGatewayApi';

/** How often the fleet is read again while the page is open. */
const FLEET_REFRESH_MS = 15_000;

/** Every pool the user may see, read again every 15 s (the last answer stays shown meanwhile). */
export function useFleet() {
  const api = useApi(aiGatewayApiRef);
  const fleet = useAsyncRetry(() => api.getFleet(), [api]);
  useInterval(fleet.retry, FLEET_REFRESH_MS);
  return fleet;
}
