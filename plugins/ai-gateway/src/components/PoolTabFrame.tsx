import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import type { Pool } from '@ai-gateway-backstage/plugin-ai-gateway-common';
import Grid from '@material-ui/core/Grid';
import type { ReactNode } from 'react';
import { usePool } from '../hooks/usePool';

/**
 * Loads the entity's pool and shows a tab's cards once it is there: a
 * progress bar while loading and a clear error (never a blank card) when the
 * control plane cannot be reached or the pool cannot be read.
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
  return (
    <Grid container spacing={3} alignItems="stretch">
      {children(pool.value)}
    </Grid>
  );
}
