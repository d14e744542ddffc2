import { cleanUpRun } from './harness/postgres';
import { killLeftovers } from './harness/processes';

/**
 * Ends whatever the tests started and did not stop (their pid files are
 * still there: a failed or interrupted test), then drops this run's
 * databases or stops the PostgreSQL globalSetup started.
 */
export default async function globalTeardown() {
  const killed = killLeftovers();
  if (killed.length) {
    console.warn(`Killed what the tests left running: ${killed.join(', ')}`);
  }
  await cleanUpRun();
}
