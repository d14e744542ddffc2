export interface Config {
  aiGateway?: {
    scaffolder?: {
      /** How often the actions poll a pool's status while waiting (default 2000). */
      pollIntervalMs?: number;
    };
  };
}
