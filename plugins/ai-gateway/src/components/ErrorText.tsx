import Typography, { type TypographyProps } from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';

const useStyles = makeStyles(theme => ({
  // MUI's error.main (#f44336) has a contrast of 3.7:1 on white, below
  // WCAG AA for text; these reach 4.5:1 on the light and dark paper.
  root: {
    color: theme.palette.type === 'dark' ? '#ff8a80' : theme.palette.error.dark,
  },
}));

/** Text saying something failed, in a red that stays readable (WCAG AA). */
export function ErrorText(props: Omit<TypographyProps, 'color'>) {
  const classes = useStyles();
  return (
    <Typography
      {...props}
      className={[classes.root, props.className].filter(Boolean).join(' ')}
    />
  );
}
