import { StructuredMetadataTable } from '@backstage/core-components';
import type { ReactNode } from 'react';

/**
 * Label → value rows (labels shown as written); rows whose value is
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
