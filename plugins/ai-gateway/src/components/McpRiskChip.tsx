import {
  mcpRiskLabels,
  type McpRiskClass,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import Chip from '@material-ui/core/Chip';

/** One colour per risk class, the same on the entity, its Contract tab and the fleet. */
export const MCP_RISK_COLOURS: Record<McpRiskClass, string> = {
  destructive: '#c62828',
  'open-world': '#ef6c00',
  additive: '#1565c0',
  'read-only': '#2e7d32',
};

/** An outlined chip in the class's colour; the label defaults to the class's name. */
export function McpRiskChip(props: {
  riskClass: McpRiskClass;
  label?: string;
  testId?: string;
}) {
  const colour = MCP_RISK_COLOURS[props.riskClass];
  return (
    <Chip
      size="small"
      variant="outlined"
      label={props.label ?? mcpRiskLabels[props.riskClass]}
      data-testid={props.testId}
      data-risk={props.riskClass}
      style={{ borderColor: colour, color: colour }}
    />
  );
}
