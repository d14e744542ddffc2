import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import { signInModule } from './modules/signIn';

/**
 * The portal. Plugins listed in package.json are discovered through
 * `app.packages: all`; the sign-in module offers the guest provider.
 */
export default createApp({
  features: [catalogPlugin, signInModule],
});
