import { spawn } from 'node:child_process';
import net from 'node:net';

/** The reference MCP server of the MCP project, run from npm with npx. */
export type EverythingServer = { url: string; stop(): void };

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise(resolve => server.close(resolve));
  return port;
}

/**
 * Starts `@modelcontextprotocol/server-everything streamableHttp` (fetched by
 * npx when not cached) on a free port; undefined, with the reason, when it
 * cannot be had (no registry access) or does not start within `timeoutMs`.
 */
export async function startEverythingServer(
  timeoutMs = 120_000,
): Promise<EverythingServer | { unavailable: string }> {
  const port = await freePort();
  const child = spawn(
    'npx',
    [
      '-y',
      '@modelcontextprotocol/server-everything@2026.8.31',
      'streamableHttp',
    ],
    {
      env: { ...process.env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: stop() ends npx and the server it started.
      detached: true,
    },
  );
  const stop = () => {
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  let output = '';
  return new Promise(resolve => {
    const timer = setTimeout(() => {
      stop();
      resolve({
        unavailable: `not listening after ${timeoutMs} ms: ${output}`,
      });
    }, timeoutMs);
    const onData = (data: Buffer) => {
      output += data.toString();
      if (/listening on port/i.test(output)) {
        clearTimeout(timer);
        resolve({ url: `http://127.0.0.1:${port}/mcp`, stop });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('error', error => {
      clearTimeout(timer);
      resolve({ unavailable: String(error) });
    });
    child.on('exit', code => {
      clearTimeout(timer);
      resolve({ unavailable: `npx exited with ${code}: ${output}` });
    });
  });
}
