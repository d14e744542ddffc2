import {
  mcpRiskDescriptions,
  mcpRiskLabels,
  type McpRiskClass,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import type { FleetEntry } from '../api/AiGatewayApi';
import { McpRiskChip } from '../components/McpRiskChip';

type McpRisk = NonNullable<FleetEntry['mcpRisk']>;

/** The count fields of the fleet entry, most risky first. */
const COUNTS: Array<
  [McpRiskClass, 'destructive' | 'openWorld' | 'additive' | 'readOnly']
> = [
  ['destructive', 'destructive'],
  ['open-world', 'openWorld'],
  ['additive', 'additive'],
  ['read-only', 'readOnly'],
];

/** "2 destructive", "1 open world". */
function countLabel(riskClass: McpRiskClass, n: number): string {
  return `${n} ${mcpRiskLabels[riskClass].toLowerCase()}`;
}

/** The classes present, most risky first, with their counts. */
function present(risk: McpRisk): Array<[McpRiskClass, number]> {
  return COUNTS.filter(([, field]) => risk[field] > 0).map(
    ([riskClass, field]) => [riskClass, risk[field]],
  );
}

/** The MCP risk in words, for the fleet search ("2 destructive: github, jira; 1 read-only; 1 not observed"; none: empty). */
export function mcpRiskWords(risk: FleetEntry['mcpRisk']): string {
  if (!risk) return '';
  return [
    ...present(risk).map(([riskClass, n]) =>
      riskClass === 'destructive'
        ? `${countLabel(riskClass, n)}: ${risk.destructiveServers.join(', ')}`
        : countLabel(riskClass, n),
    ),
    ...(risk.unobserved ? [`${risk.unobserved} not observed`] : []),
  ].join('; ');
}

/**
 * Orders pools by MCP risk, least first: contracts unknown, no MCP server,
 * read-only only, not yet observed, additive, open-world, destructive (more
 * servers of a class weigh more).
 */
export function mcpRiskSeverity(risk: FleetEntry['mcpRisk']): number {
  if (!risk) return -1;
  return (
    risk.destructive * 1e12 +
    risk.openWorld * 1e9 +
    risk.additive * 1e6 +
    risk.unobserved * 1e3 +
    risk.readOnly
  );
}

/**
 * The MCP risk cell: the most risky class present as a chip ("2 destructive",
 * the servers in a tooltip), the other classes below; "—" without MCP
 * servers or when the contracts could not be read.
 */
export function McpRiskCell(props: {
  pool: string;
  mcpRisk: FleetEntry['mcpRisk'];
}) {
  const { pool, mcpRisk } = props;
  const testId = `fleet-mcp-risk-${pool}`;
  if (!mcpRisk) {
    return (
      <Tooltip title="The MCP servers' contracts could not be read">
        <span data-testid={testId}>—</span>
      </Tooltip>
    );
  }
  const classes = present(mcpRisk);
  if (classes.length === 0 && mcpRisk.unobserved === 0) {
    return (
      <Tooltip title="This pool serves no MCP server">
        <span data-testid={testId}>—</span>
      </Tooltip>
    );
  }
  const [top, ...rest] = classes;
  const others = [
    ...rest.map(([riskClass, n]) => countLabel(riskClass, n)),
    ...(mcpRisk.unobserved ? [`${mcpRisk.unobserved} not observed`] : []),
  ];
  return (
    <div data-testid={testId}>
      {top && (
        // A string title: MUI also puts it in the title attribute, which screen readers read.
        <Tooltip
          title={
            top[0] === 'destructive'
              ? `Destructive: ${mcpRisk.destructiveServers.join(', ')}. ${
                  mcpRiskDescriptions.destructive
                }`
              : `${mcpRiskLabels[top[0]]}: ${mcpRiskDescriptions[top[0]]}`
          }
        >
          <span>
            <McpRiskChip riskClass={top[0]} label={countLabel(...top)} />
          </span>
        </Tooltip>
      )}
      {others.length > 0 && (
        <Typography variant="body2" color="textSecondary">
          {others.join(', ')}
        </Typography>
      )}
    </div>
  );
}
