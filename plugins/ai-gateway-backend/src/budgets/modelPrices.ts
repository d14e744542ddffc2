import type { Config } from '@backstage/config';
import { parseModelPattern } from '@ai-gateway-backstage/plugin-ai-gateway-common';

/** A model's price in US dollars per million tokens. */
export type ModelPrice = {
  inputPerMillionTokens: number;
  outputPerMillionTokens: number;
};

/** One model's usage in a window, as the usage service totals it. */
export type ModelUsage = {
  model: string;
  inputTokens: number;
  outputTokens: number;
  /** agentgateway's own cost of the model's requests, where it reports one. */
  costUsd?: number;
};

export type UsageCost = {
  usd: number;
  /** Models with tokens but neither a reported cost nor a price: not counted. */
  unpricedModels: string[];
};

/**
 * The price table of `aiGateway.usage.prices`, and THE rule for what usage
 * costs (budgets and anything else that shows cost use this):
 *
 * 1. For a model agentgateway reports a cost for (its
 *    `gen_ai_client_cost_usd_total`, from a model cost catalog), that cost.
 * 2. Otherwise input and output tokens at the table's price of the model:
 *    the exact name if listed, else the longest matching pattern
 *    (`anthropic/*`, `*-mini`), else `*`.
 * 3. Otherwise the model is unpriced: its cost is not counted, and callers
 *    say so (a budget's state lists its unpriced models).
 *
 * The choice is per model, not per request: a model agentgateway prices at
 * all is taken entirely from agentgateway.
 */
export class ModelPrices {
  readonly #exact = new Map<string, ModelPrice>();
  readonly #patterns: Array<{
    matches(model: string): boolean;
    length: number;
    price: ModelPrice;
  }> = [];

  constructor(prices: Record<string, ModelPrice>) {
    for (const [key, price] of Object.entries(prices)) {
      const pattern = parseModelPattern(key);
      if (!pattern) {
        throw new Error(
          `aiGateway.usage.prices: '${key}' is not a model name or a pattern with one '*' first or last`,
        );
      }
      for (const field of [
        'inputPerMillionTokens',
        'outputPerMillionTokens',
      ] as const) {
        if (
          typeof price[field] !== 'number' ||
          !Number.isFinite(price[field]) ||
          price[field] < 0
        ) {
          throw new Error(
            `aiGateway.usage.prices.${key}.${field} must be a number of US dollars, 0 or more`,
          );
        }
      }
      if (pattern.kind === 'exact') {
        this.#exact.set(key, price);
        continue;
      }
      this.#patterns.push({
        length: key.length - 1,
        price,
        matches: model =>
          pattern.kind === 'any' ||
          (pattern.kind === 'prefix' && model.startsWith(pattern.prefix)) ||
          (pattern.kind === 'suffix' && model.endsWith(pattern.suffix)),
      });
    }
    // Most specific first; '*' (length 0) last.
    this.#patterns.sort((a, b) => b.length - a.length);
  }

  static fromConfig(config: Config): ModelPrices {
    // Read as a whole: model names (`claude-3.5-sonnet`, `anthropic/*`) are
    // not valid config key paths, so they cannot be read key by key.
    const prices = config.getOptional('aiGateway.usage.prices') ?? {};
    if (typeof prices !== 'object' || Array.isArray(prices)) {
      throw new Error(
        'aiGateway.usage.prices must map model names to { inputPerMillionTokens, outputPerMillionTokens }',
      );
    }
    const table: Record<string, ModelPrice> = {};
    for (const [model, entry] of Object.entries(prices)) {
      const e = (entry ?? {}) as Record<string, unknown>;
      table[model] = {
        inputPerMillionTokens: e.inputPerMillionTokens as number,
        outputPerMillionTokens: e.outputPerMillionTokens as number,
      };
    }
    return new ModelPrices(table);
  }

  /** The price of a model, or undefined when the table has none. */
  priceOf(model: string): ModelPrice | undefined {
    return (
      this.#exact.get(model) ??
      this.#patterns.find(p => p.matches(model))?.price
    );
  }

  /** What the usage costs, by the rule above. */
  costOf(usage: ModelUsage[]): UsageCost {
    let usd = 0;
    const unpricedModels: string[] = [];
    for (const u of usage) {
      if (u.costUsd !== undefined) {
        usd += u.costUsd;
        continue;
      }
      if (u.inputTokens === 0 && u.outputTokens === 0) continue;
      const price = this.priceOf(u.model);
      if (!price) {
        unpricedModels.push(u.model);
        continue;
      }
      usd +=
        (u.inputTokens * price.inputPerMillionTokens +
          u.outputTokens * price.outputPerMillionTokens) /
        1e6;
    }
    return { usd, unpricedModels: unpricedModels.sort() };
  }
}
