import type { z } from 'zod';
import { aiBackendSchema } from './aiBackend';
import { mcpServerSchema } from './mcpServer';
import { policySchema } from './policy';
import { poolSchema } from './pool';
import { projectSchema } from './project';

export type ResourceKind = 'project' | 'pool' | 'mcpServer' | 'aiBackend' | 'policy';

export type ResourceKindDescriptor = {
  kind: ResourceKind;
  /** The path segment of the REST API. */
  plural: string;
  /** For people: "Pool", "MCP server". */
  title: string;
  schema: z.ZodType;
};

/** The kinds of object of the control plane, in dependency order. */
export const resourceKinds: Readonly<Record<ResourceKind, ResourceKindDescriptor>> = {
  project: { kind: 'project', plural: 'projects', title: 'Project', schema: projectSchema },
  pool: { kind: 'pool', plural: 'pools', title: 'Pool', schema: poolSchema },
  mcpServer: { kind: 'mcpServer', plural: 'mcp-servers', title: 'MCP server', schema: mcpServerSchema },
  aiBackend: { kind: 'aiBackend', plural: 'ai-backends', title: 'AI backend', schema: aiBackendSchema },
  policy: { kind: 'policy', plural: 'policies', title: 'Policy', schema: policySchema },
};
