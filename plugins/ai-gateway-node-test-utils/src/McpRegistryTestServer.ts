import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * What the test registry answers instead of its servers: an HTTP status, a
 * body that is not JSON, JSON that is not a registry page, or no answer for
 * `delayMs`.
 *
 * @public
 */
export type McpRegistryFault =
  | { status: number }
  | { notJson: true }
  | { body: unknown }
  | { delayMs: number };

/**
 * An MCP registry on 127.0.0.1 that speaks the official registry API
 * `GET /v0.1/servers` (search by a substring of the name, cursor paging by
 * name, `version=latest`) over the server.json documents it is given, as
 * the real one (registry.modelcontextprotocol.io) answers: a list of
 * `servers` (each a `server` and its `_meta`) and `metadata` with
 * `nextCursor` and `count`. Also serves the latest version of one server
 * (`/v0.1/servers/<name>/versions/latest`). It records the requests it got.
 *
 * @public
 */
export class McpRegistryTestServer {
  /** The requests received: path with query, and headers. */
  readonly requests: Array<{ url: string; headers: http.IncomingHttpHeaders }> =
    [];
  /** Set to make every request fail this way; undefined to answer again. */
  fault: McpRegistryFault | undefined;

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
    /** The entries: server.json documents, or raw entries (for invalid ones). */
    public entries: unknown[],
  ) {}

  static async start(entries: unknown[]): Promise<McpRegistryTestServer> {
    // The handler needs the instance, which needs the port the server gets.
    const started: { self?: McpRegistryTestServer } = {};
    const server = http.createServer((req, res) =>
      started.self!.handle(req, res),
    );
    await new Promise<void>(resolve =>
      server.listen(0, '127.0.0.1', () => resolve()),
    );
    const { port } = server.address() as AddressInfo;
    started.self = new McpRegistryTestServer(
      server,
      `http://127.0.0.1:${port}`,
      entries,
    );
    return started.self;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>(resolve => this.server.close(() => resolve()));
  }

  private nameOf(entry: unknown): string {
    return String((entry as { name?: unknown })?.name ?? '');
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    this.requests.push({ url: req.url ?? '', headers: req.headers });
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const fault = this.fault;
    if (fault && 'delayMs' in fault) {
      await new Promise(resolve => setTimeout(resolve, fault.delayMs));
    } else if (fault && 'status' in fault) {
      send(fault.status, { title: 'Fault', status: fault.status });
      return;
    } else if (fault && 'notJson' in fault) {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>not a registry</html>');
      return;
    } else if (fault && 'body' in fault) {
      send(200, fault.body);
      return;
    }
    const url = new URL(req.url ?? '/', this.url);
    const entry = (server: unknown) => ({
      server,
      _meta: {
        'io.modelcontextprotocol.registry/official': {
          status: 'active',
          isLatest: true,
        },
      },
    });
    const one = url.pathname.match(
      /^\/v0\.1\/servers\/([^/]+)\/versions\/latest$/,
    );
    if (one) {
      const name = decodeURIComponent(one[1]);
      const found = this.entries.find(e => this.nameOf(e) === name);
      if (found) send(200, entry(found));
      else send(404, { title: 'Not Found', status: 404 });
      return;
    }
    if (url.pathname !== '/v0.1/servers') {
      send(404, { title: 'Not Found', status: 404 });
      return;
    }
    const search = url.searchParams.get('search')?.toLowerCase();
    const cursor = url.searchParams.get('cursor');
    const limit = Number(url.searchParams.get('limit') ?? 30);
    const matching = this.entries
      .filter(e => !search || this.nameOf(e).toLowerCase().includes(search))
      .sort((a, b) => this.nameOf(a).localeCompare(this.nameOf(b)))
      .filter(e => !cursor || this.nameOf(e) > cursor);
    const page = matching.slice(0, limit);
    const more = matching.length > page.length;
    send(200, {
      servers: page.map(entry),
      metadata: {
        count: page.length,
        ...(more ? { nextCursor: this.nameOf(page[page.length - 1]) } : {}),
      },
    });
  }
}
