import {
  canonicalJson,
  contractHash,
  destructiveTools,
  diffContracts,
  riskClass,
  type McpContract,
  type McpContractTool,
} from './contract';

const tool = (
  name: string,
  annotations?: McpContractTool['annotations'],
  extra: Partial<McpContractTool> = {},
): McpContractTool => ({
  name,
  description: `The ${name} tool`,
  inputSchema: { type: 'object', properties: { q: { type: 'string' } } },
  ...(annotations ? { annotations } : {}),
  ...extra,
});

const contractOf = (...tools: McpContractTool[]): McpContract => ({
  tools,
  resources: [],
  prompts: [],
});

const readOnlyClosed = { readOnlyHint: true, openWorldHint: false };

describe('contractHash', () => {
  it('is the same whatever the order of keys and of the lists', () => {
    const a: McpContract = {
      tools: [
        tool('search', readOnlyClosed),
        tool('echo', { openWorldHint: false, readOnlyHint: true }),
      ],
      resources: [
        { uri: 'file:///b', name: 'b' },
        { uri: 'file:///a', name: 'a', mimeType: 'text/plain' },
      ],
      prompts: [{ name: 'p2' }, { name: 'p1', description: 'one' }],
    };
    const b: McpContract = {
      tools: [
        {
          inputSchema: {
            properties: { q: { type: 'string' } },
            type: 'object',
          },
          name: 'echo',
          description: 'The echo tool',
          annotations: { readOnlyHint: true, openWorldHint: false },
        },
        tool('search', readOnlyClosed),
      ],
      resources: [
        { name: 'a', mimeType: 'text/plain', uri: 'file:///a' },
        { uri: 'file:///b', name: 'b' },
      ],
      prompts: [{ description: 'one', name: 'p1' }, { name: 'p2' }],
    };
    expect(contractHash(a)).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(contractHash(b)).toBe(contractHash(a));
  });

  it('changes with a tool, a schema, an annotation or a description, not with a title', () => {
    const base = contractOf(tool('search', readOnlyClosed));
    const hash = contractHash(base);
    expect(
      contractHash(contractOf(tool('search', readOnlyClosed), tool('delete'))),
    ).not.toBe(hash);
    expect(
      contractHash(
        contractOf(tool('search', readOnlyClosed, { inputSchema: {} })),
      ),
    ).not.toBe(hash);
    expect(
      contractHash(
        contractOf(tool('search', { ...readOnlyClosed, openWorldHint: true })),
      ),
    ).not.toBe(hash);
    expect(
      contractHash(
        contractOf(tool('search', readOnlyClosed, { description: 'other' })),
      ),
    ).not.toBe(hash);
    expect(
      contractHash(
        contractOf(
          tool('search', { ...readOnlyClosed, title: 'Search' } as any),
        ),
      ),
    ).toBe(hash);
  });

  it('writes canonical JSON with sorted keys at every level', () => {
    expect(
      canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: undefined } }),
    ).toBe('{"a":{"d":[{"y":2,"z":1}]},"b":1}');
  });
});

describe('diffContracts', () => {
  it('names every kind of change', () => {
    const before: McpContract = {
      tools: [
        tool('search', readOnlyClosed),
        tool('echo', readOnlyClosed),
        tool('gone'),
      ],
      resources: [{ uri: 'file:///old', name: 'old' }],
      prompts: [{ name: 'old-prompt' }],
    };
    const after: McpContract = {
      tools: [
        tool('search', { readOnlyHint: false, openWorldHint: false }),
        tool('echo', readOnlyClosed, {
          description: 'Echoes',
          inputSchema: { type: 'object' },
        }),
        tool('delete', { destructiveHint: true }),
      ],
      resources: [{ uri: 'file:///new', name: 'new' }],
      prompts: [{ name: 'new-prompt' }],
    };
    expect(diffContracts(before, after)).toEqual([
      {
        type: 'tool-annotation-changed',
        tool: 'search',
        annotation: 'readOnlyHint',
        from: true,
        to: false,
      },
      { type: 'tool-input-schema-changed', tool: 'echo' },
      { type: 'tool-description-changed', tool: 'echo' },
      { type: 'tool-added', tool: 'delete' },
      { type: 'tool-removed', tool: 'gone' },
      { type: 'resource-added', uri: 'file:///new' },
      { type: 'resource-removed', uri: 'file:///old' },
      { type: 'prompt-added', prompt: 'new-prompt' },
      { type: 'prompt-removed', prompt: 'old-prompt' },
    ]);
  });

  it('reports an annotation that was set and is now unset (the default applies)', () => {
    expect(
      diffContracts(
        contractOf(tool('t', { destructiveHint: false })),
        contractOf(tool('t')),
      ),
    ).toEqual([
      {
        type: 'tool-annotation-changed',
        tool: 't',
        annotation: 'destructiveHint',
        from: false,
      },
    ]);
  });

  it('finds nothing between equal contracts', () => {
    const c = contractOf(tool('a', readOnlyClosed), tool('b'));
    expect(diffContracts(c, structuredClone(c))).toEqual([]);
  });
});

describe('riskClass (the MCP defaults: readOnlyHint false, destructiveHint true, openWorldHint true)', () => {
  it('is read-only when every tool is read-only in a closed world, or there are none', () => {
    expect(riskClass(contractOf())).toBe('read-only');
    expect(riskClass(contractOf(tool('a', readOnlyClosed)))).toBe('read-only');
  });

  it('is destructive for a tool without annotations (not read-only, destructive by default)', () => {
    expect(riskClass(contractOf(tool('a', readOnlyClosed), tool('b')))).toBe(
      'destructive',
    );
    expect(
      destructiveTools(contractOf(tool('a', readOnlyClosed), tool('b'))),
    ).toEqual(['b']);
  });

  it('is destructive for readOnlyHint false with destructiveHint unset or true', () => {
    expect(
      riskClass(
        contractOf(tool('a', { readOnlyHint: false, openWorldHint: false })),
      ),
    ).toBe('destructive');
    expect(
      riskClass(
        contractOf(tool('a', { destructiveHint: true, openWorldHint: false })),
      ),
    ).toBe('destructive');
  });

  it('ignores destructiveHint on a read-only tool (meaningful only when readOnlyHint is false)', () => {
    expect(
      riskClass(
        contractOf(tool('a', { ...readOnlyClosed, destructiveHint: true })),
      ),
    ).toBe('read-only');
  });

  it('is open-world when no tool is destructive and one has openWorldHint true or unset', () => {
    expect(riskClass(contractOf(tool('a', { readOnlyHint: true })))).toBe(
      'open-world',
    );
    expect(
      riskClass(
        contractOf(
          tool('a', readOnlyClosed),
          tool('b', { readOnlyHint: true, openWorldHint: true }),
        ),
      ),
    ).toBe('open-world');
  });

  it('is additive for a writing, non-destructive tool in a closed world', () => {
    expect(
      riskClass(
        contractOf(
          tool('a', readOnlyClosed),
          tool('b', { destructiveHint: false, openWorldHint: false }),
        ),
      ),
    ).toBe('additive');
  });
});
