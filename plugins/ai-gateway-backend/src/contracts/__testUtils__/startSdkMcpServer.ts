import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import type { McpToolAnnotations } from '../contract';

/** A tool the test server offers (its input: one string `q`). */
export type TestTool = {
  name: string;
  description: string;
  annotations?: McpToolAnnotations;
};

/** A real MCP server of the official SDK whose tools a test changes between reads. */
export type SdkMcpServer = {
  /** `http://127.0.0.1:{port}/mcp` */
  url: string;
  /** The tools offered from the next connection on. */
  tools: TestTool[];
  /** Authorization headers the server received. */
  authorizations: Array<string | undefined>;
  close(): Promise<void>;
};

/**
 * Starts an MCP server of the SDK (`McpServer`) on a free loopback port:
 * Streamable HTTP (stateless: a server per request, so changes to `tools`
 * show on the next connection), or the older HTTP+SSE transport only. With
 * `requireAuthorization`, requests without that exact Authorization get 401.
 */
export async function startSdkMcpServer(
  options: {
    tools?: TestTool[];
    transport?: 'streamable-http' | 'sse';
    requireAuthorization?: string;
  } = {},
): Promise<SdkMcpServer> {
  const state = {
    tools: options.tools ?? [],
    authorizations: [] as Array<string | undefined>,
  };
  const build = () => {
    const server = new McpServer({ name: 'contract-test', version: '1.0.0' });
    for (const tool of state.tools) {
      server.registerTool(
        tool.name,
        {
          description: tool.description,
          inputSchema: { q: z.string() },
          annotations: tool.annotations,
        },
        async ({ q }) => ({ content: [{ type: 'text', text: q }] }),
      );
    }
    server.registerResource(
      'readme',
      'test://readme',
      { description: 'The README', mimeType: 'text/plain' },
      async uri => ({ contents: [{ uri: uri.href, text: 'read me' }] }),
    );
    server.registerPrompt(
      'summarize',
      { description: 'Summarize a text', argsSchema: { text: z.string() } },
      async ({ text }) => ({
        messages: [{ role: 'user', content: { type: 'text', text } }],
      }),
    );
    return server;
  };
  const sseSessions = new Map<string, SSEServerTransport>();

  const httpServer = http.createServer(async (req, res) => {
    state.authorizations.push(req.headers.authorization);
    if (
      options.requireAuthorization &&
      req.headers.authorization !== options.requireAuthorization
    ) {
      res.writeHead(401).end('unauthorized');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (options.transport === 'sse') {
      if (req.method === 'GET' && url.pathname === '/mcp') {
        const transport = new SSEServerTransport('/messages', res);
        sseSessions.set(transport.sessionId, transport);
        res.on('close', () => sseSessions.delete(transport.sessionId));
        await build().connect(transport);
        return;
      }
      const session = sseSessions.get(url.searchParams.get('sessionId') ?? '');
      if (req.method === 'POST' && url.pathname === '/messages' && session) {
        await session.handlePostMessage(req, res);
        return;
      }
      res.writeHead(404).end();
      return;
    }
    if (url.pathname !== '/mcp') {
      res.writeHead(404).end();
      return;
    }
    if (req.method !== 'POST') {
      res.writeHead(405).end();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    const server = build();
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
    });
    res.on('close', () => {
      transport.close().catch(() => {});
      server.close().catch(() => {});
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
  });
  await new Promise<void>(resolve =>
    httpServer.listen(0, '127.0.0.1', resolve),
  );
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    get tools() {
      return state.tools;
    },
    set tools(tools: TestTool[]) {
      state.tools = tools;
    },
    authorizations: state.authorizations,
    close: () =>
      new Promise<void>(resolve => {
        httpServer.closeAllConnections();
        httpServer.close(() => resolve());
      }),
  };
}
