import { KubeConfig, KubernetesObjectApi } from '@kubernetes/client-node';
import { writeControllerStatus } from '../../kube/harness/cluster';

/** The kinds whose status the pool's health read-back looks at. */
const CONTROLLED = [
  { apiVersion: 'apps/v1', kind: 'Deployment' },
  { apiVersion: 'apps/v1', kind: 'StatefulSet' },
  { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway' },
  { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute' },
  { apiVersion: 'agentgateway.dev/v1alpha1', kind: 'AgentgatewayBackend' },
  { apiVersion: 'agentgateway.dev/v1alpha1', kind: 'AgentgatewayPolicy' },
];

/**
 * Stands in for the controllers a real cluster runs (kube-controller-manager,
 * agentgateway): every `intervalMs` it writes the ready status of each object
 * of a namespace whose generation it has not yet seen, through the status
 * subresource of the real API server, as those controllers would.
 */
export class ControllerStatusWriter {
  #seen = new Map<string, number>();
  #timer?: NodeJS.Timeout;
  #running?: Promise<void>;
  #stopped = false;

  private constructor(
    private readonly kubeConfig: KubeConfig,
    private readonly namespace: string,
    private readonly intervalMs: number,
  ) {}

  static start(
    kubeConfig: KubeConfig,
    namespace: string,
    intervalMs = 500,
  ): ControllerStatusWriter {
    const writer = new ControllerStatusWriter(
      kubeConfig,
      namespace,
      intervalMs,
    );
    writer.#schedule();
    return writer;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  #schedule() {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#running = this.#pass().finally(() => this.#schedule());
    }, this.intervalMs);
  }

  async #pass(): Promise<void> {
    const objects = this.kubeConfig.makeApiClient(KubernetesObjectApi);
    for (const { apiVersion, kind } of CONTROLLED) {
      if (this.#stopped) return;
      try {
        const list = await objects.list(apiVersion, kind, this.namespace);
        for (const o of list.items) {
          const key = `${kind}/${o.metadata!.name}`;
          const generation = o.metadata!.generation ?? 0;
          if (this.#seen.get(key) === generation) continue;
          await writeControllerStatus(
            this.namespace,
            [{ apiVersion, kind, metadata: { name: o.metadata!.name! } }],
            this.kubeConfig,
          );
          this.#seen.set(key, generation);
        }
      } catch {
        // A conflict or an object deleted meanwhile: the next pass retries.
      }
    }
  }
}
