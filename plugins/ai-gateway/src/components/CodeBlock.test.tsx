import { createTheme, ThemeProvider } from '@material-ui/core/styles';
import { fireEvent, render, screen } from '@testing-library/react';
import { CodeBlock, codeLanguage, HIGHLIGHT_MAX_LINES } from './CodeBlock';

/** [r, g, b] of a colour as jsdom reports inline styles: rgb(…) or #hex. */
function rgbOf(colour: string): [number, number, number] {
  const rgb = colour.match(/^rgba?\((\d+),\s*(\d+),\s*(\d+)/);
  if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])];
  const hex = colour.match(/^#([0-9a-f]{3}|[0-9a-f]{6})$/i);
  if (hex) {
    const h =
      hex[1].length === 3
        ? hex[1]
            .split('')
            .map(c => c + c)
            .join('')
        : hex[1];
    return [0, 2, 4].map(i => parseInt(h.slice(i, i + 2), 16)) as [
      number,
      number,
      number,
    ];
  }
  throw new Error(`Not a colour: ${colour}`);
}

/** WCAG 2.1 relative luminance. */
function luminance(colour: string): number {
  const [r, g, b] = rgbOf(colour).map(v => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

const yamlText = [
  '# A comment',
  'apiVersion: v1',
  'kind: ConfigMap',
  'metadata:',
  '  name: "gateway"',
  'data:',
  '  replicas: 3',
  '  enabled: true',
  '  list:',
  '    - item',
].join('\n');

const bashText = [
  '# Create the namespace',
  'kubectl create namespace "ai-gateway" --dry-run=client -o yaml | kubectl apply -f -',
  'export TOKEN=$(cat token.txt)',
  'if [ -n "$TOKEN" ]; then echo 42; fi',
].join('\n');

function renderBlock(
  type: 'light' | 'dark',
  props: Partial<Parameters<typeof CodeBlock>[0]> = {},
) {
  return render(
    <ThemeProvider theme={createTheme({ palette: { type } })}>
      <CodeBlock
        text={yamlText}
        language="yaml"
        label="YAML of the ConfigMap"
        testId="code"
        {...props}
      />
    </ThemeProvider>,
  );
}

/** Every text colour used in the block with its background. */
function coloursOf(code: HTMLElement) {
  const background = code.style.backgroundColor || code.style.background;
  const colours = new Set<string>([code.style.color]);
  code.querySelectorAll<HTMLElement>('[style]').forEach(el => {
    if (el.style.color) colours.add(el.style.color);
  });
  return { background, colours: [...colours] };
}

describe('CodeBlock', () => {
  it.each([
    ['light', 'yaml', yamlText],
    ['light', 'bash', bashText],
    ['dark', 'yaml', yamlText],
    ['dark', 'bash', bashText],
  ] as const)(
    'keeps every colour at >= 4.5:1 on its background (%s, %s)',
    (type, language, text) => {
      renderBlock(type, { text, language, showLineNumbers: true });
      const code = screen.getByTestId('code');
      const { background, colours } = coloursOf(code);
      expect(background).toBeTruthy();
      // Highlighted: the base colour, the line numbers' and several tokens'.
      expect(colours.length).toBeGreaterThanOrEqual(4);
      const lineNumbers = code.querySelectorAll<HTMLElement>(
        '.react-syntax-highlighter-line-number',
      );
      expect(lineNumbers).toHaveLength(text.split('\n').length);
      expect(colours).toContain(lineNumbers[0].style.color);
      for (const colour of colours) {
        expect({
          colour,
          ratio: contrast(colour, background) >= 4.5,
        }).toEqual({ colour, ratio: true });
      }
    },
  );

  it('is a named region in the tab order, with a copy button', async () => {
    const writeText = jest.fn().mockResolvedValue(undefined);
    Object.defineProperty(window.navigator, 'clipboard', {
      value: { writeText },
      configurable: true,
    });
    renderBlock('light', { copyLabel: 'Copy the YAML' });
    const region = screen.getByRole('group', { name: 'YAML of the ConfigMap' });
    expect(region).toBe(screen.getByTestId('code'));
    expect(region.tabIndex).toBe(0);
    expect(region.textContent).toBe(yamlText);
    fireEvent.click(screen.getByRole('button', { name: 'Copy the YAML' }));
    expect(
      await screen.findByText('Copied to the clipboard'),
    ).toBeInTheDocument();
    expect(writeText).toHaveBeenCalledWith(yamlText);
  });

  it('shows code that is too long to highlight as plain text', () => {
    const long = Array.from(
      { length: HIGHLIGHT_MAX_LINES + 1 },
      (_, i) => `key${i}: ${i}`,
    ).join('\n');
    renderBlock('light', { text: long, showLineNumbers: true });
    const code = screen.getByTestId('code');
    expect(code.textContent).toBe(long);
    expect(coloursOf(code).colours).toHaveLength(1);
    expect(
      code.querySelector('.react-syntax-highlighter-line-number'),
    ).toBeNull();
  });

  it('highlights only the languages it bundles', () => {
    expect(codeLanguage('yml')).toBe('yaml');
    expect(codeLanguage('json')).toBe('json');
    expect(codeLanguage('sh')).toBe('bash');
    expect(codeLanguage('python')).toBe('text');
  });
});
