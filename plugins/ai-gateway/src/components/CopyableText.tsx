import { CopyTextButton } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';

/** A value in monospace (a host, a URL) with an icon button copying it. */
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
