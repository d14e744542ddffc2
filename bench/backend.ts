/*
 * The backend the benchmarks measure: a real Backstage backend with the
 * catalog, the permission framework with the suite's policy, and the suite's
 * control plane. Started as a child process by the harness with
 * `--config <file>`, so its memory can be measured on its own.
 */
import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();
backend.add(import('@backstage/plugin-catalog-backend'));
if (process.env.BENCH_CATALOG_MODULE) {
  backend.add(
    import('@ai-gateway-backstage/plugin-catalog-backend-module-ai-gateway'),
  );
}
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(
  import(
    '@ai-gateway-backstage/plugin-permission-backend-module-ai-gateway-policy'
  ),
);
backend.add(import('@ai-gateway-backstage/plugin-ai-gateway-backend'));
backend.add(
  import('@ai-gateway-backstage/plugin-ai-gateway-backend-module-agentgateway'),
);
backend.start();
