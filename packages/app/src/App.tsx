import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import catalogGraphPlugin from '@backstage/plugin-catalog-graph/alpha';
import kubernetesPlugin from '@backstage/plugin-kubernetes/alpha';
import scaffolderPlugin from '@backstage/plugin-scaffolder/alpha';
import aiGatewayPlugin from '@ai-gateway-backstage/plugin-ai-gateway/alpha';
import { signInModule } from './modules/signIn';

/**
 * The portal: the catalog (with its relations graph), the scaffolder (the suite's templates and its
 * form fields), the Kubernetes tab and the AI Gateway plugin; the sign-in
 * module offers the guest provider.
 */
export default createApp({
  features: [
    catalogPlugin,
    catalogGraphPlugin,
    scaffolderPlugin,
    kubernetesPlugin,
    aiGatewayPlugin,
    signInModule,
  ],
});
