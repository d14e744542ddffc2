/**
 * The risk classes of an MCP server's contract, most risky first: what its
 * tools say they may do (MCP tool annotations), with the MCP specification's
 * defaults where they say nothing.
 *
 * @public
 */
export const mcpRiskClasses = [
  'destructive',
  'open-world',
  'additive',
  'read-only',
] as const;

/** @public */
export type McpRiskClass = (typeof mcpRiskClasses)[number];

/**
 * The behaviour hints of an MCP tool (MCP `ToolAnnotations`), as sent.
 *
 * @public
 */
export type McpToolHints = {
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
};

/**
 * The name of each risk class, for chips and column cells.
 *
 * @public
 */
export const mcpRiskLabels: Record<McpRiskClass, string> = {
  destructive: 'Destructive',
  'open-world': 'Open world',
  additive: 'Additive',
  'read-only': 'Read-only',
};

/**
 * What each risk class means, in a sentence.
 *
 * @public
 */
export const mcpRiskDescriptions: Record<McpRiskClass, string> = {
  destructive:
    'A tool may destroy or overwrite data (it says so, or says nothing: the MCP default).',
  'open-world':
    'No tool is destructive, but one reaches outside systems (or does not say it does not).',
  additive: 'Tools write, but none destroys, and none reaches outside.',
  'read-only': 'Every tool only reads, in a closed world.',
};

/**
 * A tool's hints with the MCP specification's defaults filled in (see
 * `ToolAnnotationsSchema` in the MCP TypeScript SDK): readOnlyHint
 * defaults to false; destructiveHint to true, meaningful only when
 * readOnlyHint is false (a read-only tool is never destructive);
 * idempotentHint to false; openWorldHint to true.
 *
 * @public
 */
export function effectiveMcpToolHints(
  annotations: McpToolHints | undefined,
): Required<McpToolHints> {
  const readOnlyHint = annotations?.readOnlyHint ?? false;
  return {
    readOnlyHint,
    destructiveHint: readOnlyHint
      ? false
      : annotations?.destructiveHint ?? true,
    idempotentHint: annotations?.idempotentHint ?? false,
    openWorldHint: annotations?.openWorldHint ?? true,
  };
}

/**
 * A tool as the risk rules read it: its name and annotations.
 *
 * @public
 */
export type McpRiskTool = { name: string; annotations?: McpToolHints };

/** The hint that puts a tool in each class (read-only: none does). */
const CLASS_HINTS = {
  destructive: 'destructiveHint',
  'open-world': 'openWorldHint',
  additive: 'readOnlyHint',
} as const;

const CLASS_VERBS: Record<keyof typeof CLASS_HINTS, string> = {
  destructive: 'may delete or overwrite',
  'open-world': 'may reach outside systems',
  additive: 'may write',
};

/**
 * The tools that put a contract in `riskClass`: the destructive ones, the
 * open-world ones, or those that write. None for `read-only`.
 *
 * @public
 */
export function mcpRiskTools(
  riskClass: McpRiskClass,
  tools: McpRiskTool[],
): string[] {
  if (riskClass === 'read-only') return [];
  return tools
    .filter(t => {
      const hints = effectiveMcpToolHints(t.annotations);
      if (riskClass === 'destructive') return hints.destructiveHint;
      if (riskClass === 'open-world') return hints.openWorldHint;
      return !hints.readOnlyHint;
    })
    .map(t => t.name);
}

/**
 * Why a contract is in its risk class, naming the tools:
 * "Destructive: tool delete_repo may delete or overwrite (destructiveHint)".
 * Without the tools, the class's description.
 *
 * @public
 */
export function explainMcpRisk(
  riskClass: McpRiskClass,
  tools?: McpRiskTool[],
): string {
  const label = mcpRiskLabels[riskClass];
  const culprits = tools ? mcpRiskTools(riskClass, tools) : [];
  if (riskClass === 'read-only' || culprits.length === 0) {
    return `${label}: ${mcpRiskDescriptions[riskClass]}`;
  }
  const hint = CLASS_HINTS[riskClass];
  const shown = culprits.slice(0, 3).join(', ');
  const more = culprits.length > 3 ? ` and ${culprits.length - 3} more` : '';
  const named = `${culprits.length === 1 ? 'tool' : 'tools'} ${shown}${more}`;
  const unset = tools!.some(
    t => culprits.includes(t.name) && t.annotations?.[hint] === undefined,
  );
  const why = riskClass === 'additive' ? 'readOnlyHint false' : hint;
  return `${label}: ${named} ${CLASS_VERBS[riskClass]} (${why}${
    unset ? `; unset ${hint} takes the MCP default` : ''
  })`;
}
