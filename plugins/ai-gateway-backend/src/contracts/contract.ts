import { createHash } from 'node:crypto';
import { effectiveMcpToolHints } from '@ai-gateway-backstage/plugin-ai-gateway-common';

/** The behaviour hints of a tool (MCP `ToolAnnotations`), as the server sent them. */
export type McpToolAnnotations = {
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
};

/** The hints a contract keeps (titles are display text, not behaviour). */
export const annotationHints = [
  'readOnlyHint',
  'destructiveHint',
  'idempotentHint',
  'openWorldHint',
] as const;

export type McpContractTool = {
  name: string;
  description?: string;
  inputSchema: unknown;
  annotations?: McpToolAnnotations;
};

export type McpContractResource = {
  uri: string;
  name: string;
  description?: string;
  mimeType?: string;
};

export type McpContractPrompt = {
  name: string;
  description?: string;
  arguments?: Array<{ name: string; description?: string; required?: boolean }>;
};

/**
 * What an MCP server offers its clients: its tools, resources and prompts,
 * each list sorted (by name, resources by URI) so the order a server lists
 * them in does not change the hash.
 */
export type McpContract = {
  tools: McpContractTool[];
  resources: McpContractResource[];
  prompts: McpContractPrompt[];
};

/**
 * - `destructive`: at least one tool may destroy or overwrite things.
 * - `open-world`: none is destructive, but at least one reaches outside
 *   entities (the web, other systems).
 * - `additive`: none is destructive or open-world, but at least one writes
 *   (`readOnlyHint: false` with `destructiveHint: false`).
 * - `read-only`: every tool is read-only in a closed world (or there are none).
 */
export type McpRiskClass =
  | 'destructive'
  | 'open-world'
  | 'additive'
  | 'read-only';

/** JSON with object keys sorted at every level: equal contracts, equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/** `sha256:<hex>` of the canonical JSON of the contract. */
export function contractHash(contract: McpContract): string {
  return `sha256:${createHash('sha256')
    .update(canonicalJson(normalizeContract(contract)))
    .digest('hex')}`;
}

/** Locale-independent order: the same on every replica. */
function byCodePoint(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** Sorts the lists and keeps only the fields a contract has. */
export function normalizeContract(contract: McpContract): McpContract {
  const byName = <T extends { name: string }>(a: T, b: T) =>
    byCodePoint(a.name, b.name);
  return {
    tools: contract.tools
      .map(t => {
        const annotations: McpToolAnnotations = {};
        for (const hint of annotationHints) {
          if (typeof t.annotations?.[hint] === 'boolean') {
            annotations[hint] = t.annotations[hint];
          }
        }
        return {
          name: t.name,
          ...(t.description !== undefined
            ? { description: t.description }
            : {}),
          inputSchema: t.inputSchema ?? {},
          ...(Object.keys(annotations).length ? { annotations } : {}),
        };
      })
      .sort(byName),
    resources: contract.resources
      .map(r => ({
        uri: r.uri,
        name: r.name,
        ...(r.description !== undefined ? { description: r.description } : {}),
        ...(r.mimeType !== undefined ? { mimeType: r.mimeType } : {}),
      }))
      .sort((a, b) => byCodePoint(a.uri, b.uri)),
    prompts: contract.prompts
      .map(p => ({
        name: p.name,
        ...(p.description !== undefined ? { description: p.description } : {}),
        ...(p.arguments !== undefined ? { arguments: p.arguments } : {}),
      }))
      .sort(byName),
  };
}

/**
 * A tool's hints with the MCP specification's defaults filled in (the rule
 * the portal explains risk classes by, in common).
 */
export function effectiveHints(
  annotations: McpToolAnnotations | undefined,
): Required<McpToolAnnotations> {
  return effectiveMcpToolHints(annotations);
}

/** The tools that may destroy things, by the spec's defaults. */
export function destructiveTools(contract: McpContract): string[] {
  return contract.tools
    .filter(t => effectiveHints(t.annotations).destructiveHint)
    .map(t => t.name);
}

/**
 * The risk of a contract by its tools' hints with the spec's defaults
 * ({@link effectiveHints}), the first that applies:
 * 1. `destructive` if a tool is destructive: not `readOnlyHint: true`, and
 *    `destructiveHint` true or unset (unset means true). A tool without
 *    annotations is therefore destructive.
 * 2. `open-world` if a tool has `openWorldHint` true or unset (unset means true).
 * 3. `additive` if a tool is not read-only (it has `destructiveHint: false`).
 * 4. `read-only` otherwise: every tool has `readOnlyHint: true` and
 *    `openWorldHint: false`, or there are no tools.
 */
export function riskClass(contract: McpContract): McpRiskClass {
  const hints = contract.tools.map(t => effectiveHints(t.annotations));
  if (hints.some(h => h.destructiveHint)) return 'destructive';
  if (hints.some(h => h.openWorldHint)) return 'open-world';
  if (hints.some(h => !h.readOnlyHint)) return 'additive';
  return 'read-only';
}

/** One difference between two contracts. */
export type McpContractChange =
  | { type: 'tool-added'; tool: string }
  | { type: 'tool-removed'; tool: string }
  | { type: 'tool-input-schema-changed'; tool: string }
  | { type: 'tool-description-changed'; tool: string }
  | {
      type: 'tool-annotation-changed';
      tool: string;
      annotation: (typeof annotationHints)[number];
      /** As the server sent them (undefined: not set, the spec's default applies). */
      from?: boolean;
      to?: boolean;
    }
  | { type: 'resource-added'; uri: string }
  | { type: 'resource-removed'; uri: string }
  | { type: 'prompt-added'; prompt: string }
  | { type: 'prompt-removed'; prompt: string };

/** What changed from contract `a` (older) to `b` (newer). */
export function diffContracts(
  a: McpContract,
  b: McpContract,
): McpContractChange[] {
  const changes: McpContractChange[] = [];
  const before = new Map(a.tools.map(t => [t.name, t]));
  const after = new Map(b.tools.map(t => [t.name, t]));
  for (const [name, tool] of after) {
    const old = before.get(name);
    if (!old) {
      changes.push({ type: 'tool-added', tool: name });
      continue;
    }
    if (
      canonicalJson(old.inputSchema ?? {}) !==
      canonicalJson(tool.inputSchema ?? {})
    ) {
      changes.push({ type: 'tool-input-schema-changed', tool: name });
    }
    if ((old.description ?? '') !== (tool.description ?? '')) {
      changes.push({ type: 'tool-description-changed', tool: name });
    }
    for (const annotation of annotationHints) {
      const from = old.annotations?.[annotation];
      const to = tool.annotations?.[annotation];
      if (from !== to) {
        changes.push({
          type: 'tool-annotation-changed',
          tool: name,
          annotation,
          ...(from !== undefined ? { from } : {}),
          ...(to !== undefined ? { to } : {}),
        });
      }
    }
  }
  for (const name of before.keys()) {
    if (!after.has(name)) changes.push({ type: 'tool-removed', tool: name });
  }
  const oldUris = new Set(a.resources.map(r => r.uri));
  const newUris = new Set(b.resources.map(r => r.uri));
  for (const uri of newUris) {
    if (!oldUris.has(uri)) changes.push({ type: 'resource-added', uri });
  }
  for (const uri of oldUris) {
    if (!newUris.has(uri)) changes.push({ type: 'resource-removed', uri });
  }
  const oldPrompts = new Set(a.prompts.map(p => p.name));
  const newPrompts = new Set(b.prompts.map(p => p.name));
  for (const prompt of newPrompts) {
    if (!oldPrompts.has(prompt)) changes.push({ type: 'prompt-added', prompt });
  }
  for (const prompt of oldPrompts) {
    if (!newPrompts.has(prompt)) {
      changes.push({ type: 'prompt-removed', prompt });
    }
  }
  return changes;
}

/** One line per change, for event logs and notifications. */
export function describeChanges(changes: McpContractChange[]): string {
  return changes
    .map(c => {
      switch (c.type) {
        case 'tool-added':
          return `tool ${c.tool} added`;
        case 'tool-removed':
          return `tool ${c.tool} removed`;
        case 'tool-input-schema-changed':
          return `tool ${c.tool}: input schema changed`;
        case 'tool-description-changed':
          return `tool ${c.tool}: description changed`;
        case 'tool-annotation-changed':
          return `tool ${c.tool}: ${c.annotation} ${c.from ?? 'unset'} -> ${
            c.to ?? 'unset'
          }`;
        case 'resource-added':
          return `resource ${c.uri} added`;
        case 'resource-removed':
          return `resource ${c.uri} removed`;
        case 'prompt-added':
          return `prompt ${c.prompt} added`;
        default:
          return `prompt ${c.prompt} removed`;
      }
    })
    .join('; ');
}
