import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  formatZodIssues,
  poolSchema,
  type Pool,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import useAsync from 'react-use/esm/useAsync';
import { aiGatewayApiRef } from '../api/AiGatewayApi';

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
  const state = useAsync(async (): Promise<Pool> => {
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
