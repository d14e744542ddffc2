/**
 * The topology bench's page, bundled with esbuild and opened in Chromium by
 * bench/topology.bench.ts. It renders, inside the providers Backstage's own
 * test wrapper sets up (app, APIs, theme, router), either our TopologyCard
 * (side=ours) or the catalog-graph plugin's EntityRelationsGraph (side=peer)
 * for the same 500 nodes and 1,500 edges, each fed by a zero-latency fake of
 * the API it loads through, and times mount -> final drawn layout.
 */
import type { Entity } from '@backstage/catalog-model';
import { InfoCard } from '@backstage/core-components';
import {
  DefaultCatalogGraphApi,
  EntityRelationsGraph,
  catalogGraphApiRef,
} from '@backstage/plugin-catalog-graph';
import { catalogApiRef, EntityProvider } from '@backstage/plugin-catalog-react';
import { createTestAppWrapper, TestApiProvider } from '@backstage/test-utils';
import { useEffect, useState, type ReactElement } from 'react';
import { createRoot } from 'react-dom/client';
import {
  aiGatewayApiRef,
  type AiGatewayApi,
} from '../../plugins/ai-gateway/src/api/AiGatewayApi';
import { TopologyCard } from '../../plugins/ai-gateway/src/entity/TopologyCard';
import {
  entityNameOf,
  POOL,
  PROJECT,
  topologyEntities,
  topologyFixture,
} from './fixture';

type Side = 'ours' | 'peer';
export type RunResult = {
  side: Side;
  /** mount -> the first painted frame showing the final layout. */
  ms: number;
  nodes: number;
  edges: number;
  /** How long the drawing kept changing after all nodes and edges were in the DOM. */
  settleMs: number;
  timedOut: boolean;
};

declare global {
  interface Window {
    benchReady?: boolean;
    benchRun?: () => Promise<RunResult>;
  }
}

const side = (new URLSearchParams(location.search).get('side') ??
  'ours') as Side;
const QUIET_MS = 1500;
const QUIET_FRAMES = 30;
const TIMEOUT_MS = 180_000;

// Built before the clock starts: the data the fake APIs serve.
const fixture = topologyFixture();
const entities = topologyEntities(fixture.topology);
const entityByRef = new Map(
  entities.map(e => [`${e.kind.toLowerCase()}:default/${e.metadata.name}`, e]),
);

const wrap = (kind: string, name: string, spec: unknown) => ({
  kind,
  name,
  project: PROJECT,
  version: 1,
  createdAt: '',
  createdBy: '',
  updatedAt: '',
  updatedBy: '',
  spec,
});
const aiGatewayApi = {
  getObject: async (_plural: string, name: string) =>
    wrap('pool', name, fixture.pool),
  listInPool: async (plural: string) =>
    plural === 'mcp-servers'
      ? fixture.mcpServers.map(s => wrap('mcpServer', s.name, s))
      : plural === 'ai-backends'
      ? fixture.aiBackends.map(b => wrap('aiBackend', b.name, b))
      : fixture.policies.map(p => wrap('policy', p.name, p)),
  getPoolStatus: async () => fixture.status,
} as unknown as AiGatewayApi;

// What EntityRelationsGraph calls (useEntityStore: getEntitiesByRefs).
const catalogApi = {
  getEntitiesByRefs: async ({ entityRefs }: { entityRefs: string[] }) => ({
    items: entityRefs.map(r => entityByRef.get(r)),
  }),
  getEntityByRef: async (ref: string) => entityByRef.get(ref),
};

// The entity whose page the card sits on: the pool (its gateway is the root).
const poolEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name: POOL, annotations: { 'ai-gateway.io/kind': 'pool' } },
  spec: { type: 'ai-gateway-pool' },
};
const gatewayRoot = {
  kind: 'Resource',
  namespace: 'default',
  name: entityNameOf(`gateway:${POOL}`),
};

function Subject() {
  if (side === 'ours') {
    return (
      <EntityProvider entity={poolEntity}>
        <TopologyCard />
      </EntityProvider>
    );
  }
  return (
    <InfoCard title="Relations">
      <EntityRelationsGraph
        rootEntityNames={gatewayRoot}
        maxDepth={Number.POSITIVE_INFINITY}
      />
    </InfoCard>
  );
}

let mountSubject: (() => void) | undefined;
function Slot() {
  const [content, setContent] = useState<ReactElement | null>(null);
  useEffect(() => {
    mountSubject = () => setContent(<Subject />);
    window.benchReady = true;
  }, []);
  return <div id="subject">{content}</div>;
}

const Wrapper = createTestAppWrapper();
createRoot(document.getElementById('root')!).render(
  <Wrapper>
    <TestApiProvider
      apis={[
        [aiGatewayApiRef, aiGatewayApi],
        [catalogApiRef, catalogApi],
        [catalogGraphApiRef, new DefaultCatalogGraphApi()],
      ]}
    >
      <Slot />
    </TestApiProvider>
  </Wrapper>,
);

// Our card marks its nodes and edges with data-testids; DependencyGraph
// (the peer's renderer, and our card's before issue 6) with data-testid=node / edge.
const selectors =
  side === 'ours'
    ? {
        node: '#subject g[data-testid^="topology-node-"]',
        edge: '#subject path[data-testid="topology-edge"], #subject path[data-testid="edge"]',
      }
    : {
        node: '#subject g[data-testid="node"]',
        edge: '#subject path[data-testid="edge"]',
      };

/** Whether every node and edge is in the DOM, sized and visible. */
function complete(): { nodes: number; edges: number; drawn: boolean } {
  const nodes = document.querySelectorAll<SVGGElement>(selectors.node);
  const edges = document.querySelectorAll<SVGPathElement>(selectors.edge);
  const counts = { nodes: nodes.length, edges: edges.length };
  if (
    nodes.length < fixture.topology.nodes.length ||
    edges.length < fixture.topology.edges.length
  )
    return { ...counts, drawn: false };
  // DependencyGraph keeps the graph hidden until it has settled.
  if (!nodes[0].checkVisibility({ visibilityProperty: true } as any))
    return { ...counts, drawn: false };
  for (const node of nodes) {
    const box = node.getBoundingClientRect();
    if (box.width <= 0 || box.height <= 0) return { ...counts, drawn: false };
  }
  for (const edge of edges)
    if (!edge.getAttribute('d')) return { ...counts, drawn: false };
  return { ...counts, drawn: true };
}

const frame = () =>
  new Promise<number>(resolve =>
    requestAnimationFrame(() => resolve(performance.now())),
  );
const isStyle = (n: Node) => n.nodeName.toLowerCase() === 'style';

window.benchRun = async () => {
  // The time of the last change to what is drawn. Not counted: style
  // elements (DependencyGraph drops one that holds transitions back once it
  // has settled), the ripples MUI mounts in buttons after their first paint,
  // and anything outside the subject.
  let lastChange = 0;
  const counts = (r: MutationRecord) =>
    !isStyle(r.target) &&
    ![...r.addedNodes, ...r.removedNodes].some(isStyle) &&
    !(r.target as Element).closest?.('button');
  const observer = new MutationObserver(records => {
    if (records.some(counts)) lastChange = performance.now();
  });
  const subject = document.getElementById('subject')!;
  observer.observe(subject, {
    subtree: true,
    childList: true,
    attributes: true,
    characterData: true,
  });
  const start = performance.now();
  mountSubject!();
  // Only counts are read per frame, so that the watching costs next to
  // nothing; the full check runs once the DOM has been quiet.
  const frames: number[] = [];
  let allPresentAt: number | undefined;
  // Quiet in wall time and in frames: a long task (a layout) is quiet in
  // wall time too, yet no frame ran during it.
  let seenChange = lastChange;
  let quietSince = start;
  let quietFrames = 0;
  for (;;) {
    const now = await frame();
    frames.push(now);
    if (lastChange !== seenChange) {
      seenChange = lastChange;
      quietSince = lastChange;
      quietFrames = 0;
    } else {
      quietFrames++;
    }
    if (allPresentAt === undefined) {
      const present =
        subject.querySelectorAll(selectors.node).length >=
          fixture.topology.nodes.length &&
        subject.querySelectorAll(selectors.edge).length >=
          fixture.topology.edges.length;
      if (present) allPresentAt = now;
    }
    if (
      allPresentAt !== undefined &&
      now - quietSince > QUIET_MS &&
      quietFrames >= QUIET_FRAMES
    ) {
      if (complete().drawn) break;
      // In the DOM but not drawn yet (DependencyGraph keeps it hidden until it has settled).
      quietSince = now;
      quietFrames = 0;
    }
    if (now - start > TIMEOUT_MS) {
      observer.disconnect();
      const c = complete();
      return {
        side,
        ms: NaN,
        nodes: c.nodes,
        edges: c.edges,
        settleMs: NaN,
        timedOut: true,
      };
    }
  }
  observer.disconnect();
  const c = complete();
  if (!c.drawn)
    return {
      side,
      ms: NaN,
      nodes: c.nodes,
      edges: c.edges,
      settleMs: NaN,
      timedOut: true,
    };
  // The first frame after the last change painted it; the one after that
  // began once it was on screen.
  const after = frames.filter(t => t > lastChange);
  const paintedAt = after[1] ?? after[0];
  return {
    side,
    ms: paintedAt - start,
    nodes: c.nodes,
    edges: c.edges,
    settleMs: Math.max(0, lastChange - allPresentAt!),
    timedOut: false,
  };
};
