import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  formatZodIssues,
  poolSchema,
  type FieldIssue,
  type Pool,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import useAsync from 'react-use/esm/useAsync';
import { aiGatewayApiRef } from '../api/AiGatewayApi';

type Path = ReadonlyArray<PropertyKey>;

/** Removes the value at `path` from `root` and returns it. */
function take(root: unknown, path: Path): unknown {
  let node: any = root;
  for (const key of path.slice(0, -1)) {
    node = node?.[key as any];
    if (node === null || typeof node !== 'object') return undefined;
  }
  const last = path[path.length - 1] as any;
  if (!node || !(last in node)) return undefined;
  const value = node[last];
  delete node[last];
  return value;
}

/** Sets the value at `path` in `root`, creating objects on the way. */
function put(root: any, path: Path, value: unknown): void {
  let node = root;
  for (const key of path.slice(0, -1)) {
    node[key] ??= {};
    node = node[key];
  }
  node[path[path.length - 1] as any] = value;
}

/**
 * A stored pool spec read through the pool schema, so that defaults are
 * filled in for pools stored before a field existed. A value the model has
 * refused since the pool was stored (a SIEM format other than otlp, say)
 * does not hide the pool: it is left out for the parse and put back as
 * stored, and reported in `refused` (the control plane does not render it
 * and its manifests say so). Anything else the schema cannot read is an
 * error.
 */
export function readStoredPool(spec: unknown): {
  pool: Pool;
  refused: FieldIssue[];
} {
  const strict = poolSchema.safeParse(spec);
  if (strict.success) return { pool: strict.data, refused: [] };
  const issues = formatZodIssues(strict.error);
  const copy = JSON.parse(JSON.stringify(spec ?? null));
  const removed: Array<[Path, unknown]> = [];
  for (const issue of strict.error.issues) {
    const paths =
      issue.code === 'unrecognized_keys'
        ? issue.keys.map(key => [...issue.path, key])
        : [issue.path];
    for (const path of paths) {
      const value = path.length ? take(copy, path) : undefined;
      if (value !== undefined) removed.push([path, value]);
    }
  }
  const lenient = removed.length ? poolSchema.safeParse(copy) : undefined;
  if (!lenient?.success) {
    throw new Error(
      issues
        .map(i => (i.field ? `${i.field}: ${i.message}` : i.message))
        .join('; '),
    );
  }
  for (const [path, value] of removed) put(lenient.data, path, value);
  return { pool: lenient.data, refused: issues };
}

/**
 * The pool of the current entity (its metadata.name), as the control plane
 * stores it (see `readStoredPool`); a spec the tabs cannot read is reported
 * as an error rather than crashing a card.
 */
export function usePool() {
  const { entity } = useEntity();
  const name = entity.metadata.name;
  const api = useApi(aiGatewayApiRef);
  const state = useAsync(async () => {
    const object = await api.getObject('pools', name);
    try {
      return readStoredPool(object.spec);
    } catch (error) {
      throw new Error(
        `The stored configuration of pool ${name} does not match the pool model: ${
          (error as Error).message
        }`,
      );
    }
  }, [api, name]);
  return { ...state, name };
}
