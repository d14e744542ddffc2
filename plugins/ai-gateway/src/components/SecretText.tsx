import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { CopyButton } from './CopyButton';

const visuallyHidden = {
  position: 'absolute',
  width: 1,
  height: 1,
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  whiteSpace: 'nowrap',
} as const;

/**
 * A secret value (an enrollment token) masked by default, with a Show/Hide
 * toggle and a copy button; copying does not need it shown.
 */
export function SecretText(props: { value: string; label: string }) {
  const { value, label } = props;
  const [shown, setShown] = useState(false);
  return (
    <Box display="flex" alignItems="center" flexWrap="wrap">
      <Typography
        variant="body2"
        component="code"
        data-testid="secret-text"
        style={{
          fontFamily: 'monospace',
          marginRight: 8,
          wordBreak: 'break-all',
        }}
      >
        {shown ? (
          value
        ) : (
          <>
            <span aria-hidden="true">
              {'•'.repeat(Math.min(value.length, 24))}
            </span>
            <span style={visuallyHidden}>{label} hidden</span>
          </>
        )}
      </Typography>
      <Button
        variant="outlined"
        size="small"
        onClick={() => setShown(!shown)}
        style={{ marginRight: 8 }}
      >
        {shown ? `Hide ${label}` : `Show ${label}`}
      </Button>
      <CopyButton text={value} label={`Copy ${label}`} />
    </Box>
  );
}
