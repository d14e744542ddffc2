import { KubeConfig } from '@kubernetes/client-node';
import http from 'node:http';
import { ControlPlaneClient } from './ControlPlaneClient';
import { OPERATOR_VERSION, OperatorAgent } from './OperatorAgent';

/** What `--help` prints: the operator is configured by environment variables. */
export const USAGE = `ai-gateway-operator ${OPERATOR_VERSION}: the in-cluster operator of AI Gateway for Backstage.
Heartbeats to the control plane, pulls the pool's bundle and applies it in its namespace.

Usage: ai-gateway-operator [options]

Options:
  -h, --help              print this help
  --version               print the operator's version

Configured by environment variables (read at start-up).
  AIGW_CONTROL_PLANE_URL  the control plane's API, e.g. https://portal.example.com/api/ai-gateway (required)
  AIGW_ENROLLMENT_TOKEN   the pool's enrollment token (required)
  AIGW_NAMESPACE          the namespace it manages (default: the kubeconfig context's, else ai-gateway)
  AIGW_POLL_SECONDS       long-poll wait and heartbeat period (default 15)
  AIGW_HEALTH_PORT        port of /healthz (default 8080)
  KUBECONFIG              kubeconfig when run outside a cluster (default ~/.kube/config; in a pod: its service account)
`;

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
export async function runOperator(
  argv: string[] = process.argv.slice(2),
): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE);
    return;
  }
  if (argv.includes('--version')) {
    process.stdout.write(`${OPERATOR_VERSION}\n`);
    return;
  }
  if (argv.length > 0) {
    console.error(`Unknown arguments: ${argv.join(' ')}\n\n${USAGE}`);
    process.exit(2);
  }
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromDefault();
  const namespace =
    process.env.AIGW_NAMESPACE ??
    kubeConfig.getContextObject(kubeConfig.getCurrentContext())?.namespace ??
    'ai-gateway';
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
    const ok =
      req.url === '/healthz' && agent.heartbeats > 0 && !agent.tokenRejected;
    res.writeHead(ok ? 200 : 503, { 'Content-Type': 'text/plain' });
    const notReadyReason = agent.tokenRejected
      ? 'enrollment token rejected'
      : 'not connected yet';
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
