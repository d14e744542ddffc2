import {
  describeServedState,
  type PoolStatus,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import { StatusError, StatusOK } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';

/**
 * Whether the gateway serves an MCP server or AI backend: "Served", or
 * "Not served" with why (the pool's phase and its cause) and what to do, in
 * the one wording of describeServedState.
 *
 * @public
 */
export function ServedState(props: {
  /** What is served, e.g. "MCP server github". */
  what: string;
  poolName: string;
  /** The pool's spec; undefined when it could not be read. */
  pool?: Parameters<typeof describeServedState>[1];
  status?: PoolStatus;
}) {
  const { what, poolName, pool, status } = props;
  if (!pool) {
    return (
      <Box data-testid="served-state" data-served="unknown">
        <Typography variant="body2">
          <StatusError>Served state unknown</StatusError>: pool {poolName} could
          not be read (it may not exist, or you may not see it).
        </Typography>
      </Box>
    );
  }
  const state = describeServedState(what, pool, status);
  return (
    <Box data-testid="served-state" data-served={state.served ? 'yes' : 'no'}>
      <Typography variant="body2" component="div">
        {state.served ? (
          <StatusOK>Served</StatusOK>
        ) : (
          <StatusError>Not served</StatusError>
        )}
      </Typography>
      <Typography variant="body2">{state.message}</Typography>
      {state.nextStep && (
        <Typography variant="body2">
          <b>Next step:</b> {state.nextStep}
        </Typography>
      )}
    </Box>
  );
}
