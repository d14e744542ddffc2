import {
  effectiveMcpToolHints,
  explainMcpRisk,
  mcpRiskClasses,
  mcpRiskDescriptions,
  mcpRiskLabels,
  mcpRiskTools,
} from './mcpRisk';

describe('MCP risk wording', () => {
  it('has a label and a description for every class', () => {
    for (const c of mcpRiskClasses) {
      expect(mcpRiskLabels[c]).toBeTruthy();
      expect(mcpRiskDescriptions[c]).toMatch(/\.$/);
    }
  });

  it('fills in the MCP defaults: no hints is destructive and open-world', () => {
    expect(effectiveMcpToolHints(undefined)).toEqual({
      readOnlyHint: false,
      destructiveHint: true,
      idempotentHint: false,
      openWorldHint: true,
    });
    // A read-only tool is never destructive, whatever it says.
    expect(
      effectiveMcpToolHints({ readOnlyHint: true, destructiveHint: true })
        .destructiveHint,
    ).toBe(false);
  });

  it('names the tools that make the class', () => {
    const tools = [
      { name: 'delete_repo', annotations: { destructiveHint: true } },
      {
        name: 'list_repos',
        annotations: { readOnlyHint: true, openWorldHint: false },
      },
      {
        name: 'search_web',
        annotations: { readOnlyHint: true, openWorldHint: true },
      },
    ];
    expect(mcpRiskTools('destructive', tools)).toEqual(['delete_repo']);
    expect(mcpRiskTools('open-world', tools)).toEqual([
      'delete_repo',
      'search_web',
    ]);
    expect(mcpRiskTools('read-only', tools)).toEqual([]);
    expect(explainMcpRisk('destructive', tools)).toBe(
      'Destructive: tool delete_repo may delete or overwrite (destructiveHint)',
    );
  });

  it('says when an unset hint took the MCP default', () => {
    expect(explainMcpRisk('destructive', [{ name: 'a' }, { name: 'b' }])).toBe(
      'Destructive: tools a, b may delete or overwrite (destructiveHint; unset destructiveHint takes the MCP default)',
    );
    expect(
      explainMcpRisk('additive', [
        {
          name: 'create_issue',
          annotations: {
            readOnlyHint: false,
            destructiveHint: false,
            openWorldHint: false,
          },
        },
      ]),
    ).toBe('Additive: tool create_issue may write (readOnlyHint false)');
  });

  it('falls back to the description without tools, and for read-only', () => {
    expect(explainMcpRisk('open-world')).toBe(
      `Open world: ${mcpRiskDescriptions['open-world']}`,
    );
    expect(explainMcpRisk('read-only', [])).toBe(
      `Read-only: ${mcpRiskDescriptions['read-only']}`,
    );
  });
});
