import { startAgentgatewayMetricsExporter } from './AgentgatewayMetricsExporter';
import { eventually } from './eventually';
import { prometheusAvailable, startTestPrometheus } from './TestPrometheus';

const describeWithPrometheus = prometheusAvailable() ? describe : describe.skip;

jest.setTimeout(60_000);

describeWithPrometheus('startTestPrometheus', () => {
  it('scrapes its targets and is gone after stop', async () => {
    const exporter = await startAgentgatewayMetricsExporter();
    const prometheus = await startTestPrometheus({
      targets: [exporter.target],
    });
    try {
      await eventually(
        'the exporter scraped',
        async () => {
          const response = await fetch(
            `${prometheus.url}/api/v1/query?query=up`,
          );
          const body = await response.json();
          return body.data.result[0]?.value[1] === '1';
        },
        20_000,
        200,
      );
      expect(exporter.scrapes()).toBeGreaterThan(0);
    } finally {
      await prometheus.stop();
      await exporter.close();
    }
    await expect(fetch(`${prometheus.url}/-/ready`)).rejects.toThrow();
  });
});
