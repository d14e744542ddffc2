import { createApp } from '@backstage/frontend-defaults';
import authPlugin from '@backstage/plugin-auth';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import catalogGraphPlugin from '@backstage/plugin-catalog-graph/alpha';
import kubernetesPlugin from '@backstage/plugin-kubernetes/alpha';
import scaffolderPlugin from '@backstage/plugin-scaffolder/alpha';
import searchPlugin from '@backstage/plugin-search/alpha';
import aiGatewayPlugin from '@ai-gateway-backstage/plugin-ai-gateway/alpha';
import { homeModule } from './modules/home';
import { signInModule } from './modules/signIn';
import { themeModule } from './modules/theme';

/**
 * The portal: the home page at `/` (the AI Gateway plugin's home content), the
 * catalog (with its relations graph), search, the scaffolder (the suite's
 * templates and its form fields), the Kubernetes tab and the AI Gateway
 * plugin; the auth plugin's consent page, where a user lets an MCP client act
 * for them; the sign-in module offers the guest provider.
 */
export default createApp({
  features: [
    homeModule,
    catalogPlugin,
    catalogGraphPlugin,
    scaffolderPlugin,
    searchPlugin,
    kubernetesPlugin,
    aiGatewayPlugin,
    authPlugin,
    signInModule,
    themeModule,
  ],
});
