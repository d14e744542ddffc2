import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  BACKEND,
  FRONTEND,
  SHOTS,
  guestToken,
  launchChromium,
  see,
  signIn,
  startPortal,
} from './portal';

jest.setTimeout(420_000);

const root = path.resolve(__dirname, '..');
const SERVER = 'e2e-agent-docs';

/**
 * How a developer connects an IDE agent to the portal: `backstage-cli auth
 * login` signs in with a client ID metadata document, the user approves it on
 * the app's consent page in Chromium, and the token it prints lets an MCP
 * client (the official SDK) use the suite's tools at /api/mcp-actions/v1 as
 * that user.
 */
describe('an MCP client signed in through the portal', () => {
  let portal: Awaited<ReturnType<typeof startPortal>>;
  let browser: Browser;
  let home: string;
  const children: ChildProcess[] = [];

  /** Runs the Backstage CLI with its stores under `home`; collects its output. */
  const cli = (args: string[]) => {
    const child = spawn('npx', ['backstage-cli', ...args], {
      cwd: root,
      env: {
        ...process.env,
        XDG_CONFIG_HOME: path.join(home, 'config'),
        XDG_DATA_HOME: path.join(home, 'data'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: npx runs the CLI in a child process.
      detached: true,
    });
    children.push(child);
    let output = '';
    child.stdout!.on('data', d => (output += String(d)));
    child.stderr!.on('data', d => (output += String(d)));
    const done = new Promise<string>((resolve, reject) => {
      child.on('exit', code =>
        code === 0
          ? resolve(output)
          : reject(
              new Error(`backstage-cli ${args[1]} exited ${code}: ${output}`),
            ),
      );
    });
    return { output: () => output, done };
  };

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    home = mkdtempSync(path.join(os.tmpdir(), 'aigw-agent-'));
    portal = await startPortal();
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const child of children) {
      if (child.pid && child.exitCode === null) {
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          // already gone
        }
      }
    }
    await browser?.close();
    portal?.stop();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('logs in with backstage-cli after consent, then deploys through the MCP tools as the user', async () => {
    // The client ID metadata document of the Backstage CLI: CIMD is enabled.
    const metadata = await fetch(
      `${BACKEND}/api/auth/.well-known/oauth-client/cli.json`,
    );
    expect(metadata.status).toBe(200);
    const login = cli([
      'auth',
      'login',
      '--backend-url',
      BACKEND,
      '--no-browser',
      '--instance',
      'portal',
    ]);
    let authorizeUrl: string | undefined;
    for (let i = 0; i < 120 && !authorizeUrl && !children[0].exitCode; i++) {
      authorizeUrl = login
        .output()
        .match(/https?:\/\/\S+\/api\/auth\/v1\/authorize\?\S+/)?.[0];
      if (!authorizeUrl) await new Promise(r => setTimeout(r, 500));
    }
    if (!authorizeUrl) {
      throw new Error(
        `backstage-cli printed no sign-in URL: ${login.output()}`,
      );
    }

    const page = await browser.newPage({
      viewport: { width: 1280, height: 900 },
    });
    await signIn(page, path.join(SHOTS, 'agent-sign-in-failed.png'));
    await page.goto(authorizeUrl);
    await see(page, 'agent-consent', async () => {
      await page.waitForURL(`${FRONTEND}/oauth2/authorize/**`);
      // The consent page names the client and where the code goes.
      await page.getByText('Client metadata host', { exact: true }).waitFor();
      await page
        .getByText(/127\.0\.0\.1|localhost/)
        .first()
        .waitFor();
    });
    await page.screenshot({
      path: path.join(SHOTS, 'agent-consent.png'),
      fullPage: true,
    });
    await page.getByRole('button', { name: 'Authorize' }).click();
    const loggedIn = await login.done;
    expect(loggedIn).toContain('Login successful');
    await page.close();

    const token = (
      await cli(['auth', 'print-token', '--instance', 'portal']).done
    ).trim();
    expect(token.split('.')).toHaveLength(3);

    const client = new Client({ name: 'ide-agent', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(
        new URL(`${BACKEND}/api/mcp-actions/v1`),
        {
          requestInit: { headers: { Authorization: `Bearer ${token}` } },
        },
      ),
    );
    try {
      const tools = (await client.listTools()).tools.map(t => t.name);
      expect(tools).toEqual(
        expect.arrayContaining([
          'ai-gateway.list-pools',
          'ai-gateway.deploy-mcp-server',
          // The demo's guest is a platform admin, who holds ai-gateway.actions.destructive.
          'ai-gateway.remove-mcp-server',
        ]),
      );

      const deployed = (await client.callTool({
        name: 'ai-gateway.deploy-mcp-server',
        arguments: {
          name: SERVER,
          project: 'payments',
          pool: 'payments-prod-eu',
          prefix: SERVER,
          description: 'Deployed by an IDE agent',
          source: { type: 'remote', url: 'https://docs.example.com/mcp' },
        },
      })) as { isError?: boolean; content: any[]; structuredContent?: any };
      expect(deployed.content[0]?.text ?? '').not.toMatch(/Error/);
      expect(deployed.isError).toBeFalsy();

      // As the user the CLI signed in: the same object, created by the guest.
      const rest = await fetch(
        `${BACKEND}/api/ai-gateway/mcp-servers/${SERVER}`,
        { headers: { Authorization: `Bearer ${await guestToken()}` } },
      );
      expect(rest.status).toBe(200);
      const server = (await rest.json()) as any;
      expect(server.createdBy).toBe('user:default/guest');
      expect(deployed.structuredContent).toMatchObject({
        name: SERVER,
        url: server.derived.url,
      });

      const removed = (await client.callTool({
        name: 'ai-gateway.remove-mcp-server',
        arguments: { name: SERVER },
      })) as { isError?: boolean; structuredContent?: any };
      expect(removed.isError).toBeFalsy();
      expect(removed.structuredContent.removed).toEqual([
        { kind: 'mcpServer', name: SERVER },
      ]);
    } finally {
      await client.close();
    }
  });
});
