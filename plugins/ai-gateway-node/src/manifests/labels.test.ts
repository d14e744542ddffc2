import { routeServes } from '@ai-gateway-backstage/plugin-ai-gateway-common';
import { servedObjectName } from './labels';

describe('servedObjectName', () => {
  it('is what the browser-side routeServes matches, for short and cut names', () => {
    for (const name of ['github', `x${'y'.repeat(58)}`, `a${'b'.repeat(62)}`]) {
      for (const kind of ['mcpServer', 'aiBackend'] as const) {
        const served = servedObjectName(kind, name);
        expect(served.length).toBeLessThanOrEqual(63);
        expect(routeServes(`ns/${served}`, kind, name)).toBe(true);
        expect(
          routeServes(
            `ns/${servedObjectName(kind, `z${name.slice(1)}`)}`,
            kind,
            name,
          ),
        ).toBe(false);
      }
    }
  });
});
