import Button from '@material-ui/core/Button';
import { ErrorText } from './ErrorText';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';

/**
 * A labelled button copying `text` to the clipboard that says whether that
 * worked. core-components' CopyTextButton (an icon, used by CopyableText)
 * reports a refused copy only through the error API; here the refusal is
 * shown next to the button, with what to do instead, as large texts (YAML,
 * commands) are copied from it.
 */
export function CopyButton(props: {
  text: string;
  label?: string;
  testId?: string;
}) {
  const { text, label = 'Copy', testId } = props;
  const [outcome, setOutcome] = useState<'copied' | 'failed' | undefined>();
  const copy = async () => {
    try {
      await window.navigator.clipboard.writeText(text);
      setOutcome('copied');
    } catch {
      // No clipboard API (plain http) or permission denied.
      setOutcome('failed');
    }
  };
  return (
    <>
      <Button
        variant="outlined"
        size="small"
        onClick={copy}
        data-testid={testId}
        style={{ marginRight: 8 }}
      >
        {label}
      </Button>
      {outcome === 'copied' && (
        <Typography variant="caption" role="status" style={{ marginRight: 8 }}>
          Copied to the clipboard
        </Typography>
      )}
      {outcome === 'failed' && (
        <ErrorText variant="caption" role="status" style={{ marginRight: 8 }}>
          The browser did not allow copying: select the text and copy it by hand
        </ErrorText>
      )}
    </>
  );
}
