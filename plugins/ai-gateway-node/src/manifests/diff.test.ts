import { diffBundle } from './diff';
import type { ManifestObject } from './types';

const service = (name: string, port: number): ManifestObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'ai-gateway', labels: { app: name } },
  spec: { ports: [{ name: 'http', port }] },
});

describe('diffBundle', () => {
  it('ignores what the server adds, and reports added, changed and removed objects', () => {
    const live = [
      {
        ...service('same', 80),
        metadata: {
          ...service('same', 80).metadata,
          uid: 'u1',
          resourceVersion: '7',
        },
        spec: {
          ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
          clusterIP: '10.0.0.1',
        },
        status: { loadBalancer: {} },
      },
      service('changed', 80),
      service('stale', 80),
    ];
    const diff = diffBundle(
      [service('same', 80), service('changed', 8080), service('new', 80)],
      live,
    );
    expect(diff.unchanged).toBe(1);
    expect(diff.added.map(d => d.ref)).toEqual(['Service/new']);
    expect(diff.changed).toEqual([
      {
        ref: 'Service/changed',
        apiVersion: 'v1',
        kind: 'Service',
        name: 'changed',
        patch: [{ op: 'replace', path: '/spec/ports/0/port', value: 8080 }],
      },
    ]);
    expect(diff.removed.map(d => d.ref)).toEqual(['Service/stale']);
  });
});
