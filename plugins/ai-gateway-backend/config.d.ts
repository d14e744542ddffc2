export interface Config {
  aiGateway?: {
    /**
     * Where operators reach the control plane (agent and gitops delivery).
     * Defaults to the external base URL of the ai-gateway plugin.
     */
    controlPlaneUrl?: string;
    health?: {
      /** How often every pool's phase is re-derived and direct pools reconciled (default 15). */
      intervalSeconds?: number;
    };
    demoData?: {
      /** Load the demo objects into an empty store at start-up. */
      enabled?: boolean;
      /** Directory with projects.yaml, pools.yaml, mcp-servers.yaml, ai-backends.yaml, policies.yaml (relative to the backend's working directory). */
      directory?: string;
    };
  };
}
