import { render, screen } from '@testing-library/react';
import {
  describeOperation,
  OperationList,
  readablePath,
} from './OperationList';

describe('OperationList', () => {
  it('reads JSON pointers as field paths', () => {
    expect(readablePath('')).toBe('(whole object)');
    expect(readablePath('/spec/ports/0/port')).toBe('spec.ports[0].port');
    expect(readablePath('/metadata/annotations/ai-gateway.io~1pool')).toBe(
      'metadata.annotations.ai-gateway.io/pool',
    );
    expect(readablePath('/a~0b')).toBe('a~b');
  });

  it('describes each kind of operation on one line', () => {
    expect(
      describeOperation({ op: 'add', path: '/domains/api', value: 'api' }),
    ).toBe('+ domains.api: "api"');
    expect(describeOperation({ op: 'remove', path: '/tools/deny' })).toBe(
      '- tools.deny',
    );
    expect(
      describeOperation({ op: 'replace', path: '/tls/mode', value: 'acme' }),
    ).toBe('~ tls.mode: "acme"');
    expect(describeOperation({ op: 'move', from: '/a/0', path: '/b/1' })).toBe(
      'move a[0] → b[1]',
    );
    expect(
      describeOperation({ op: 'replace', path: '/x', value: 'y'.repeat(200) }),
    ).toMatch(/^~ x: "y+…$/);
  });

  it('shows at most `max` operations and says how many more there are', () => {
    const operations = Array.from({ length: 5 }, (_, i) => ({
      op: 'remove' as const,
      path: `/items/${i}`,
    }));
    render(<OperationList operations={operations} max={2} />);
    expect(screen.getByText('- items[0]')).toBeInTheDocument();
    expect(screen.getByText('- items[1]')).toBeInTheDocument();
    expect(screen.queryByText('- items[2]')).toBeNull();
    expect(screen.getByText('… and 3 more')).toBeInTheDocument();
  });
});
