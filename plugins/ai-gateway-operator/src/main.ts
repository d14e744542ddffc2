import { KubeConfig } from '@kubernetes/client-node';
import http from 'node:http';
import { ControlPlaneClient } from './ControlPlaneClient';
import { OperatorAgent } from './OperatorAgent';

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    console.error(`${name} is required (see the operator's README)`);
    process.exit(2);
  }
  return value;
}

/**
 * Runs the operator: in a pod (in-cluster service account) or locally
 * against a kubeconfig (KUBECONFIG or ~/.kube/config).
 */
export async function runOperator(): Promise<void> {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromDefault();
  const namespace =
    process.env.AIGW_NAMESPACE ?? kubeConfig.getContextObject(kubeConfig.getCurrentContext())?.namespace ?? 'ai-gateway';
  const agent = new OperatorAgent({
    controlPlane: new ControlPlaneClient({
      baseUrl: required('AIGW_CONTROL_PLANE_URL'),
      token: required('AIGW_ENROLLMENT_TOKEN'),
    }),
    kubeConfig,
    namespace,
    pollSeconds: Number(process.env.AIGW_POLL_SECONDS ?? 15),
  });
  // Ready once it has reached the control plane; not ready while the token is refused.
  const server = http.createServer((req, res) => {
    const ok = req.url === '/healthz' && agent.heartbeats > 0 && !agent.tokenRejected;
    res.writeHead(ok ? 200 : 503, { 'Content-Type': 'text/plain' });
    const notReadyReason = agent.tokenRejected ? 'enrollment token rejected' : 'not connected yet';
    res.end(ok ? 'ok' : notReadyReason);
  });
  server.listen(Number(process.env.AIGW_HEALTH_PORT ?? 8080));
  agent.start();
  const shutdown = async () => {
    await agent.stop();
    server.close();
    process.exit(0);
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

if (require.main === module) {
  runOperator();
}
