import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { outputDir, repoRoot } from './paths';
import { TrackedProcess } from './processes';

/**
 * The real operator (plugins/ai-gateway-operator, its command-line program
 * `bin/ai-gateway-operator`) as a process, configured as its README says:
 * environment variables and a kubeconfig.
 */
export class OperatorProcess {
  readonly process: TrackedProcess;
  readonly logFile = path.join(outputDir, 'operator.log');

  constructor(options: {
    controlPlaneUrl: string;
    enrollmentToken: string;
    namespace: string;
    kubernetesUrl: string;
    kubernetesToken: string;
    pollSeconds: number;
    healthPort: number;
  }) {
    const kubeconfig = path.join(outputDir, 'operator.kubeconfig.yaml');
    writeFileSync(
      kubeconfig,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [
          {
            name: 'test',
            cluster: {
              server: options.kubernetesUrl,
              'insecure-skip-tls-verify': true,
            },
          },
        ],
        users: [{ name: 'test', user: { token: options.kubernetesToken } }],
        contexts: [
          {
            name: 'test',
            context: {
              cluster: 'test',
              user: 'test',
              namespace: options.namespace,
            },
          },
        ],
        'current-context': 'test',
      }),
    );
    this.process = new TrackedProcess({
      name: 'operator',
      command: process.execPath,
      args: [
        path.join(
          repoRoot,
          'plugins',
          'ai-gateway-operator',
          'bin',
          'ai-gateway-operator',
        ),
      ],
      cwd: repoRoot,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        KUBECONFIG: kubeconfig,
        AIGW_CONTROL_PLANE_URL: options.controlPlaneUrl,
        AIGW_ENROLLMENT_TOKEN: options.enrollmentToken,
        AIGW_NAMESPACE: options.namespace,
        AIGW_POLL_SECONDS: String(options.pollSeconds),
        AIGW_HEALTH_PORT: String(options.healthPort),
      },
      logFile: this.logFile,
      marker: path.join('ai-gateway-operator', 'bin', 'ai-gateway-operator'),
    });
  }

  /** Revisions the operator logged as applied ("Applied <revision>: ..."), in order. */
  appliedRevisions(): string[] {
    const text = readFileSync(this.logFile, 'utf8');
    return [...text.matchAll(/Applied (\S+): /g)].map(m => m[1]);
  }

  log(): string {
    return readFileSync(this.logFile, 'utf8');
  }

  async stop(): Promise<void> {
    await this.process.kill('SIGTERM', 5000);
  }
}
