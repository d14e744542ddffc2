import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import type { Pool } from '@ai-gateway-backstage/plugin-ai-gateway-common';
import Grid from '@material-ui/core/Grid';
import type { ReactNode } from 'react';
import { usePool } from '../hooks/usePool';

/**
 * Loads the entity's pool and shows a tab's cards once it is there: a
 * progress bar while loading and a clear error (never a blank card) when the
 * control plane cannot be reached or the pool cannot be read. Values stored
 * before the model refused them are listed above the cards.
 */
export function PoolTabFrame(props: {
  /** Title of the card shown while loading or on error. */
  title: string;
  children: (pool: Pool) => ReactNode;
}) {
  const { title, children } = props;
  const pool = usePool();
  if (pool.loading && !pool.value) {
    return (
      <InfoCard title={title}>
        <Progress />
      </InfoCard>
    );
  }
  if (pool.error || !pool.value) {
    return (
      <InfoCard title={title}>
        <ResponseErrorPanel
          title={`The pool ${pool.name} could not be loaded`}
          error={pool.error ?? new Error('No pool was returned')}
        />
      </InfoCard>
    );
  }
  const { refused } = pool.value;
  return (
    <Grid container spacing={3} alignItems="stretch">
      {refused.length > 0 && (
        <Grid item xs={12} data-testid="pool-refused-settings">
          <WarningPanel
            severity="warning"
            title="Settings the gateway does not apply"
            message={`Pool ${
              pool.name
            } was stored with settings the control plane now refuses. They are not rendered (the Manifests tab lists the warnings), and the next update of the pool must change them: ${refused
              .map(i => `${i.field}: ${i.message}`)
              .join('; ')}`}
          />
        </Grid>
      )}
      {children(pool.value.pool)}
    </Grid>
  );
}
