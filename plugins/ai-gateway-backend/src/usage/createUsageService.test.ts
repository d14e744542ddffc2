import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  createUsageService,
  usageNotConfiguredMessage,
} from './createUsageService';

const logger = mockServices.logger.mock();

describe('createUsageService', () => {
  it('is undefined without aiGateway.metrics, and says so', () => {
    expect(
      createUsageService({ config: new ConfigReader({}), logger }),
    ).toBeUndefined();
    expect(logger.info).toHaveBeenCalledWith(usageNotConfiguredMessage);
  });

  it('reads the global Prometheus and per-cluster ones', () => {
    const service = createUsageService({
      config: new ConfigReader({
        aiGateway: {
          metrics: {
            prometheus: { url: 'http://prom:9090/', bearerToken: 't' },
            clusters: {
              eu: {
                prometheus: {
                  url: 'https://prom.eu',
                  username: 'u',
                  password: 'p',
                  headers: { 'X-Scope-OrgID': 'eu' },
                },
              },
            },
          },
        },
      }),
      logger,
    })!;
    expect(service.getStatus()).toEqual({
      configured: true,
      prometheusUrls: ['http://prom:9090', 'https://prom.eu'],
    });
    expect(
      service.getStatus({ name: 'p', namespace: 'n', cluster: 'eu' }),
    ).toEqual({ configured: true, prometheusUrls: ['https://prom.eu'] });
    expect(
      service.getStatus({ name: 'p', namespace: 'n', cluster: 'us' }),
    ).toEqual({ configured: true, prometheusUrls: ['http://prom:9090'] });
  });

  it('refuses half-given credentials, naming the key', () => {
    expect(() =>
      createUsageService({
        config: new ConfigReader({
          aiGateway: {
            metrics: {
              clusters: {
                eu: { prometheus: { url: 'http://x', username: 'u' } },
              },
            },
          },
        }),
        logger,
      }),
    ).toThrow(
      'aiGateway.metrics.clusters.eu.prometheus: username and password go together',
    );
  });
});
