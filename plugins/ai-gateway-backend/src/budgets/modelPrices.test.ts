import { ConfigReader, type JsonValue } from '@backstage/config';
import { ModelPrices } from './modelPrices';

const price = (input: number, output: number) => ({
  inputPerMillionTokens: input,
  outputPerMillionTokens: output,
});

describe('ModelPrices', () => {
  const prices = new ModelPrices({
    'gpt-4o': price(2.5, 10),
    'gpt-*': price(1, 1),
    'gpt-4*': price(2, 2),
    '*-mini': price(0.1, 0.2),
    '*': price(50, 50),
  });

  it('prefers the exact name, then the longest pattern, then *', () => {
    expect(prices.priceOf('gpt-4o')).toEqual(price(2.5, 10));
    expect(prices.priceOf('gpt-4o-2024')).toEqual(price(2, 2));
    expect(prices.priceOf('gpt-3.5')).toEqual(price(1, 1));
    expect(prices.priceOf('o1-mini')).toEqual(price(0.1, 0.2));
    expect(prices.priceOf('claude')).toEqual(price(50, 50));
    expect(new ModelPrices({}).priceOf('gpt-4o')).toBeUndefined();
  });

  it("takes agentgateway's cost where reported, prices tokens otherwise, and names unpriced models", () => {
    const table = new ModelPrices({ 'gpt-4o': price(2.5, 10) });
    expect(
      table.costOf([
        // agentgateway's cost wins over the table, even for a listed model.
        { model: 'gpt-4o', inputTokens: 1e6, outputTokens: 1e6, costUsd: 1 },
        { model: 'gpt-4o', inputTokens: 2e6, outputTokens: 1e5 },
        { model: 'llama', inputTokens: 10, outputTokens: 0 },
        { model: 'idle', inputTokens: 0, outputTokens: 0 },
      ]),
    ).toEqual({ usd: 1 + 5 + 1, unpricedModels: ['llama'] });
  });

  it('reads aiGateway.usage.prices and refuses what it cannot use, naming the key', () => {
    const config = (table: JsonValue) =>
      new ConfigReader({ aiGateway: { usage: { prices: table } } });
    // Names that are not config key paths (dots, slashes, '*') work too.
    const read = ModelPrices.fromConfig(
      config({
        'claude-3.5-sonnet': price(3, 15),
        'anthropic/*': price(1, 2),
      }),
    );
    expect(read.priceOf('claude-3.5-sonnet')).toEqual(price(3, 15));
    expect(read.priceOf('anthropic/claude-opus')).toEqual(price(1, 2));
    expect(ModelPrices.fromConfig(new ConfigReader({})).priceOf('x')).toBe(
      undefined,
    );
    expect(() =>
      ModelPrices.fromConfig(config({ 'a*b*': price(1, 1) })),
    ).toThrow(
      "aiGateway.usage.prices: 'a*b*' is not a model name or a pattern with one '*' first or last",
    );
    expect(() => ModelPrices.fromConfig(config({ m: price(-1, 1) }))).toThrow(
      'aiGateway.usage.prices.m.inputPerMillionTokens must be a number of US dollars, 0 or more',
    );
    expect(() =>
      ModelPrices.fromConfig(config({ m: { inputPerMillionTokens: 1 } })),
    ).toThrow(/outputPerMillionTokens/);
  });
});
