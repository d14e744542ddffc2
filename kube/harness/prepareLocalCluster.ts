/**
 * Prepares the API server `npm run dev:kube` started for the portal
 * (scripts/start-kube.sh runs it with Backstage's node transform):
 *   prepareLocalCluster.ts <admin kubeconfig> <portal config file to write>
 * Installs the CRDs and GatewayClass every bundle needs, gives the portal a
 * ServiceAccount with direct delivery's rights in namespace `aigw-local` and
 * the Kubernetes plugin's read rights, and writes the portal's cluster
 * `local` with a 24-hour token of that account.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { grantPortalAccess, writePortalClusterConfig } from './portalAccess';
import { installClusterPrerequisites } from './realApiServer';

/** The cluster's name in the portal's config and the pool namespace prepared in it. */
const LOCAL_CLUSTER = 'local';
const LOCAL_NAMESPACE = 'aigw-local';

async function main(kubeconfig?: string, configFile?: string) {
  if (!kubeconfig || !configFile) {
    throw new Error(
      'usage: prepareLocalCluster.ts <admin kubeconfig> <portal config file>',
    );
  }
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(kubeconfig);
  const cluster = kubeConfig.getCurrentCluster()!;
  await installClusterPrerequisites(kubeConfig);
  const token = await grantPortalAccess(kubeConfig, {
    poolNamespaces: [LOCAL_NAMESPACE],
    tokenSeconds: 24 * 3600,
  });
  writePortalClusterConfig(configFile, {
    name: LOCAL_CLUSTER,
    url: cluster.server,
    caData: cluster.caData!,
    token,
  });
}

main(process.argv[2], process.argv[3]).catch(error => {
  // eslint-disable-next-line no-console
  console.error(error);
  process.exit(1);
});
