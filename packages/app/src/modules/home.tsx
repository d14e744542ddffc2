import { Content } from '@backstage/core-components';
import {
  createFrontendModule,
  createRouteRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import HomeIcon from '@material-ui/icons/Home';

const homeRouteRef = createRouteRef();

/**
 * The portal's home page at `/` (extension `page:app/home`): the AI Gateway
 * plugin's home content, the signed-in user's team's pools, MCP servers and
 * AI backends with their state and the quick actions; "Home" in the sidebar.
 */
export const homeModule = createFrontendModule({
  pluginId: 'app',
  extensions: [
    PageBlueprint.make({
      name: 'home',
      params: {
        path: '/',
        title: 'Home',
        icon: <HomeIcon fontSize="inherit" />,
        routeRef: homeRouteRef,
        loader: () =>
          import('@ai-gateway-backstage/plugin-ai-gateway').then(m => (
            <Content>
              <m.AiGatewayHomeContent />
            </Content>
          )),
      },
    }),
  ],
});
