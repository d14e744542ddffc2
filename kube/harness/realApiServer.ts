import { loadPublishedCrds } from '@ai-gateway-backstage/plugin-ai-gateway-node-test-utils';
import { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { adminApply, installCrds } from './cluster';

const script = path.resolve(__dirname, '..', '..', 'scripts', 'kube.sh');

export type RealApiServer = {
  /** Admin kubeconfig (contexts `local`: system:masters; `installer`: the user pool-installer, no rights). */
  kubeconfig: string;
  server: string;
  caData: string;
  stop(): void;
};

/**
 * Installs what every bundle needs into a cluster, as its admin: the
 * published CRDs shipped in the test kit and the agentgateway GatewayClass
 * (cluster objects a platform team installs once, with the agentgateway
 * controller). Applying again changes nothing.
 */
export async function installClusterPrerequisites(
  kubeConfig: KubeConfig,
): Promise<void> {
  await installCrds(loadPublishedCrds() as KubernetesObject[], kubeConfig);
  await adminApply(
    [
      {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'GatewayClass',
        metadata: { name: 'agentgateway' },
        spec: { controllerName: 'agentgateway.dev/agentgateway' },
      } as KubernetesObject,
    ],
    { kubeConfig },
  );
}

/**
 * Starts kube-apiserver and etcd with their state in `dir` (scripts/kube.sh
 * builds them once from the Go module proxy), then installs the cluster
 * prerequisites of every bundle (installClusterPrerequisites).
 */
export async function startRealApiServer(dir: string): Promise<RealApiServer> {
  execFileSync('bash', [script, 'stop', dir]);
  const kubeconfig = execFileSync('bash', [script, 'start', dir], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
  const stop = () => execFileSync('bash', [script, 'stop', dir]);
  try {
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfig);
    const cluster = kc.getCurrentCluster()!;
    await installClusterPrerequisites(kc);
    return {
      kubeconfig,
      server: cluster.server,
      caData: cluster.caData!,
      stop,
    };
  } catch (error) {
    stop();
    throw error;
  }
}
