import {
  startAgentgatewayMetricsExporter,
  type AgentgatewayMetricsExporter,
} from './AgentgatewayMetricsExporter';

const labels = {
  gateway: 'ns/pool',
  route: 'ns/ai-openai',
  project: 'shop',
  team: 'group:default/team-a',
  consumer: 'a "quoted" \\ name',
};

describe('startAgentgatewayMetricsExporter', () => {
  let exporter: AgentgatewayMetricsExporter;
  beforeEach(async () => {
    exporter = await startAgentgatewayMetricsExporter();
  });
  afterEach(() => exporter.close());

  it('serves nothing before the first request, as agentgateway does', async () => {
    const text = await (await fetch(exporter.url)).text();
    expect(text.trim()).toBe('');
    expect(exporter.scrapes()).toBe(1);
  });

  it('serves agentgateway series in the text format, labels escaped', async () => {
    exporter.recordLlmRequest({
      ...labels,
      model: 'gpt-4o',
      inputTokens: 100,
      outputTokens: 20,
      costUsd: 0.5,
      durationSeconds: 0.3,
    });
    exporter.recordMcpCall({
      ...labels,
      server: 'github',
      tool: 'create_issue',
    });
    const response = await fetch(exporter.url);
    expect(response.headers.get('content-type')).toBe(
      'text/plain; version=0.0.4',
    );
    const text = await response.text();
    const consumer = 'consumer="a \\"quoted\\" \\\\ name"';
    expect(text).toContain('# TYPE agentgateway_requests_total counter');
    expect(text).toContain(
      `agentgateway_gen_ai_client_token_usage_sum{gen_ai_token_type="input",gen_ai_operation_name="chat",gen_ai_system="openai",gen_ai_request_model="gpt-4o",gen_ai_response_model="gpt-4o",bind="8080",gateway="ns/pool",listener="http",route="ns/ai-openai",route_rule="unknown",project="shop",team="group:default/team-a",${consumer}} 100`,
    );
    expect(text).toMatch(
      /agentgateway_gen_ai_server_request_duration_bucket\{.*le="0.16"\} 0\n/,
    );
    expect(text).toMatch(
      /agentgateway_gen_ai_server_request_duration_bucket\{.*le="0.32"\} 1\n/,
    );
    expect(text).toMatch(
      /agentgateway_gen_ai_client_cost_usd_total\{.*\} 0.5\n/,
    );
    expect(text).toMatch(
      /agentgateway_mcp_requests_total\{method="tools\/call",resource_type="tool",server="github",resource="create_issue",.*\} 1\n/,
    );
    expect(exporter.currentTotal('agentgateway_requests_total')).toBe(2);
    expect(
      exporter.currentTotal('agentgateway_gen_ai_client_token_usage_sum'),
    ).toBe(120);
  });

  it('runs traffic at a known rate and restarts from nothing', async () => {
    await exporter.runTraffic({
      mcp: [{ ...labels, server: 's', tool: 't' }],
      ticks: 3,
      intervalMs: 5,
    });
    expect(exporter.currentTotal('agentgateway_mcp_requests_total')).toBe(3);
    exporter.restart();
    expect(exporter.currentTotal('agentgateway_mcp_requests_total')).toBe(0);
  });
});
