// The repo's tsconfig lists its global types, so the ambient module
// declarations of @types/react-syntax-highlighter are loaded explicitly.
/// <reference types="react-syntax-highlighter" />
import Box from '@material-ui/core/Box';
import { makeStyles, useTheme } from '@material-ui/core/styles';
import type { ReactNode } from 'react';
import SyntaxHighlighter from 'react-syntax-highlighter/dist/esm/light';
import bash from 'react-syntax-highlighter/dist/esm/languages/hljs/bash';
import json from 'react-syntax-highlighter/dist/esm/languages/hljs/json';
import yaml from 'react-syntax-highlighter/dist/esm/languages/hljs/yaml';
import a11yDark from 'react-syntax-highlighter/dist/esm/styles/hljs/a11y-dark';
import a11yLight from 'react-syntax-highlighter/dist/esm/styles/hljs/a11y-light';
import { CopyButton } from './CopyButton';

// The Light build knows no language until registered: only these are
// bundled, the rest is shown as plain text.
SyntaxHighlighter.registerLanguage('yaml', yaml);
SyntaxHighlighter.registerLanguage('bash', bash);
SyntaxHighlighter.registerLanguage('json', json);

/** The languages a code block highlights; `text` is shown as it is. */
export type CodeLanguage = 'yaml' | 'bash' | 'json' | 'text';

/** `language` if a code block highlights it, else `text`. */
export function codeLanguage(language: string): CodeLanguage {
  switch (language) {
    case 'yaml':
    case 'bash':
    case 'json':
      return language;
    case 'yml':
      return 'yaml';
    case 'sh':
    case 'shell':
      return 'bash';
    default:
      return 'text';
  }
}

/**
 * Above this many lines the code is shown without highlighting: highlighting
 * thousands of lines (a large bundle's YAML) would freeze the page.
 */
export const HIGHLIGHT_MAX_LINES = 4000;

const useStyles = makeStyles(theme => ({
  code: {
    margin: 0,
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: 4,
    fontSize: '0.8125rem',
    '&:focus-visible': {
      outline: `2px solid ${theme.palette.primary.main}`,
      outlineOffset: 2,
    },
  },
}));

/**
 * Code (YAML, commands, JSON) with a copy button, highlighted with the
 * a11y-light or a11y-dark theme after the palette, whose colours keep a
 * contrast of at least 4.5:1 on their background (WCAG 2.1 AA; the docco
 * theme of core-components' CodeSnippet does not). The code is a focusable,
 * named region, so it can be scrolled from the keyboard.
 */
export function CodeBlock(props: {
  text: string;
  language: CodeLanguage;
  /** Names the code for screen readers, e.g. "YAML of the Role". */
  label: string;
  showLineNumbers?: boolean;
  /** The copy button's text; "Copy" by default. */
  copyLabel?: string;
  copyTestId?: string;
  /** More buttons next to the copy button (e.g. a download). */
  actions?: ReactNode;
  /** On the element holding the code (and only the code). */
  testId?: string;
  /** Longer code scrolls inside the block. */
  maxHeight?: number | string;
  /** Wrap long lines instead of scrolling sideways. */
  wrapLongLines?: boolean;
}) {
  const {
    text,
    language,
    label,
    showLineNumbers = false,
    copyLabel,
    copyTestId,
    actions,
    testId,
    maxHeight,
    wrapLongLines = false,
  } = props;
  const classes = useStyles();
  const theme = useTheme();
  const style = theme.palette.type === 'dark' ? a11yDark : a11yLight;
  const highlighted = text.split('\n').length <= HIGHLIGHT_MAX_LINES;
  return (
    <Box>
      <Box mb={1} display="flex" alignItems="center" flexWrap="wrap">
        <CopyButton text={text} label={copyLabel} testId={copyTestId} />
        {actions}
      </Box>
      <SyntaxHighlighter
        language={highlighted ? language : 'text'}
        style={style}
        showLineNumbers={showLineNumbers && highlighted}
        // Numbers inline with their line, unselectable, so a selection
        // copied by hand holds only the code.
        wrapLines={showLineNumbers && highlighted}
        // The theme's comment colour is made for its background (>= 4.5:1),
        // unlike core-components' textVerySubtle.
        lineNumberStyle={{ color: style['hljs-comment'].color }}
        wrapLongLines={wrapLongLines}
        customStyle={{ maxHeight, overflow: 'auto' }}
        className={classes.code}
        tabIndex={0}
        role="group"
        aria-label={label}
        data-testid={testId}
      >
        {text}
      </SyntaxHighlighter>
    </Box>
  );
}
