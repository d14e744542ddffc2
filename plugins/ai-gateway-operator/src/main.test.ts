import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { OPERATOR_VERSION } from './OperatorAgent';

jest.setTimeout(30_000);

const BIN = path.resolve(__dirname, '../bin/ai-gateway-operator');
const run = (...args: string[]) =>
  spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    // Without the control plane's variables: --help must not need them.
    env: { PATH: process.env.PATH },
  });

describe('the ai-gateway-operator command', () => {
  it('prints its usage with every variable for --help, without a control plane', () => {
    const { status, stdout } = run('--help');
    expect(status).toBe(0);
    for (const variable of [
      'AIGW_CONTROL_PLANE_URL',
      'AIGW_ENROLLMENT_TOKEN',
      'AIGW_NAMESPACE',
      'AIGW_POLL_SECONDS',
      'AIGW_HEALTH_PORT',
    ]) {
      expect(stdout).toContain(variable);
    }
  });

  it('prints its version for --version', () => {
    const { status, stdout } = run('--version');
    expect(status).toBe(0);
    expect(stdout.trim()).toBe(OPERATOR_VERSION);
  });

  it('refuses unknown arguments and a missing control plane URL with exit code 2', () => {
    const unknown = run('--bogus');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('Unknown arguments: --bogus');
    const missing = run();
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('AIGW_CONTROL_PLANE_URL is required');
  });
});
