import {
  CopyTextButton,
  InfoCard,
  Progress,
  ResponseErrorPanel,
  StructuredMetadataTable,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  formatZodIssues,
  poolSchema,
  type Pool,
  type SecretRef,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import type { ReactNode } from 'react';
import { aiGatewayApiRef } from '../../api/AiGatewayApi';
import { useAsyncValue } from '../useAsyncValue';

/**
 * The pool of the current entity (its metadata.name), as the control plane
 * stores it. The spec is read through the pool schema so that defaults are
 * filled in for pools stored before a field existed, and so that a spec the
 * tabs cannot read is reported as an error rather than crashing a card.
 */
export function usePool() {
  const { entity } = useEntity();
  const name = entity.metadata.name;
  const api = useApi(aiGatewayApiRef);
  const state = useAsyncValue(async (): Promise<Pool> => {
    const object = await api.getObject('pools', name);
    const parsed = poolSchema.safeParse(object.spec);
    if (!parsed.success) {
      const issues = formatZodIssues(parsed.error)
        .map(i => (i.field ? `${i.field}: ${i.message}` : i.message))
        .join('; ');
      throw new Error(
        `The stored configuration of pool ${name} does not match the pool model: ${issues}`,
      );
    }
    return parsed.data;
  }, [api, name]);
  return { ...state, name };
}

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

/** A Secret reference as users read it; the value itself is never fetched. */
export function secretRefLabel(ref: SecretRef): string {
  return `Secret ${ref.name}, key ${ref.key}`;
}

/** Key: value lines for annotations, or undefined when there are none. */
export function annotationLines(
  annotations: Record<string, string>,
): string[] | undefined {
  const entries = Object.entries(annotations);
  return entries.length
    ? entries.map(([key, value]) => `${key}: ${value}`)
    : undefined;
}

/**
 * Label -> value rows (labels shown as written); rows whose value is
 * undefined are left out, so optional settings that are not set take no space.
 */
export function DetailsTable(props: {
  rows: Record<string, ReactNode | string[] | undefined>;
}) {
  const metadata = Object.fromEntries(
    Object.entries(props.rows).filter(([, value]) => value !== undefined),
  );
  return (
    <StructuredMetadataTable
      metadata={metadata}
      options={{ titleFormat: label => label }}
    />
  );
}

/** A value in monospace with a button copying it. */
export function CopyableText(props: { text: string; testId?: string }) {
  return (
    <Box display="flex" alignItems="center" component="span">
      <Typography
        variant="body2"
        component="span"
        data-testid={props.testId}
        style={{ fontFamily: 'monospace' }}
      >
        {props.text}
      </Typography>
      <CopyTextButton
        text={props.text}
        tooltipText="Copied"
        aria-label={`Copy ${props.text}`}
      />
    </Box>
  );
}
