import type { Request, Router } from 'express';
import type { Caller } from '../service/ResourceService';
import type { McpRegistryService } from './McpRegistryService';

/** The registry API's page size when the client gives none, and its maximum. */
export const REGISTRY_PAGE = { default: 30, max: 100 };

/**
 * HTTP of the MCP registry: `POST /mcp-servers/import` (a server.json in)
 * and the official registry API `GET /v0.1/servers...` (server.json out).
 */
export function addMcpRegistryRoutes(
  router: Router,
  options: {
    registry: McpRegistryService;
    caller: (req: Request) => Promise<Caller>;
  },
) {
  const { registry, caller } = options;

  router.post('/mcp-servers/import', async (req, res) => {
    const result = await registry.importServer(req.body, await caller(req));
    if (!result.created) {
      res.status(200).json({ dryRun: true, mcpServer: result.input });
      return;
    }
    res.location(`${req.baseUrl}/mcp-servers/${result.object!.name}`);
    res.status(201).json(result.object);
  });

  router.get('/v0.1/servers', async (req, res) => {
    const { cursor, limit, search, version } = req.query;
    const text = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
    res.json(
      await registry.list(
        {
          cursor: text(cursor),
          limit: limit === undefined ? REGISTRY_PAGE.default : Number(limit),
          search: text(search),
          version: text(version),
        },
        await caller(req),
      ),
    );
  });

  // Server names hold a "/": clients send it encoded (%2F), Express decodes it.
  router.get('/v0.1/servers/:serverName/versions', async (req, res) => {
    res.json(await registry.versions(req.params.serverName, await caller(req)));
  });

  router.get(
    '/v0.1/servers/:serverName/versions/:version',
    async (req, res) => {
      res.json(
        await registry.version(
          req.params.serverName,
          req.params.version,
          await caller(req),
        ),
      );
    },
  );
}
