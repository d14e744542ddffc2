import { spawn, type ChildProcess } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { pidDir } from './paths';

/**
 * A child process whose output goes to a log file and whose pid is written
 * to test-output/replicas/pids/, so globalTeardown can end it even when a
 * test (or Jest) died before stopping it.
 */
export class TrackedProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: string | null }>;
  #pidFile: string;

  constructor(options: {
    name: string;
    command: string;
    args: string[];
    cwd: string;
    env: NodeJS.ProcessEnv;
    logFile: string;
    /** A string of its command line that tells it is this process (pid reuse). */
    marker: string;
  }) {
    mkdirSync(pidDir, { recursive: true });
    const log = openSync(options.logFile, 'a');
    this.child = spawn(options.command, options.args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', log, log],
    });
    closeSync(log);
    this.#pidFile = path.join(pidDir, `${options.name}-${this.child.pid}`);
    writeFileSync(
      this.#pidFile,
      JSON.stringify({ pid: this.child.pid, marker: options.marker }),
    );
    this.exited = new Promise(resolve => {
      this.child.once('exit', (code, signal) => {
        rmSync(this.#pidFile, { force: true });
        resolve({ code, signal });
      });
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Sends `signal` to the process; resolves when it is gone. */
  async kill(signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000) {
    if (!this.running) return;
    signal_(this.pid, signal);
    let timer: NodeJS.Timeout | undefined;
    const gone = await Promise.race([
      this.exited.then(() => true),
      new Promise<boolean>(r => {
        timer = setTimeout(() => r(false), graceMs);
      }),
    ]);
    clearTimeout(timer);
    if (!gone) {
      signal_(this.pid, 'SIGKILL');
      await this.exited;
    }
  }
}

function signal_(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

/**
 * Kills the processes an earlier or interrupted run left behind (their pid
 * files are still there), each only if its command line still shows it is
 * one of ours, since pids are reused.
 */
export function killLeftovers(): string[] {
  if (!existsSync(pidDir)) return [];
  const killed: string[] = [];
  for (const file of readdirSync(pidDir)) {
    const entry = path.join(pidDir, file);
    try {
      const { pid, marker } = JSON.parse(readFileSync(entry, 'utf8')) as {
        pid: number;
        marker: string;
      };
      const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (marker && commandLine.includes(marker)) {
        process.kill(pid, 'SIGKILL');
        killed.push(`${file} (${pid})`);
      }
    } catch {
      // unreadable pid file or process gone
    }
    rmSync(entry, { force: true });
  }
  return killed;
}
