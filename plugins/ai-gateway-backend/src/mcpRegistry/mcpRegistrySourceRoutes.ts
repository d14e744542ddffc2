import type { Request, Router } from 'express';
import type { Caller } from '../service/ResourceService';
import type { McpRegistrySources } from './McpRegistrySources';

/**
 * HTTP of the MCP registries users deploy from: the configured sources and a
 * page of a source's latest entries (read on the signed-in caller's behalf;
 * the entries are public registry data, the import itself is permission
 * checked by `POST /mcp-servers/import`).
 */
export function addMcpRegistrySourceRoutes(
  router: Router,
  options: {
    sources: McpRegistrySources;
    caller: (req: Request) => Promise<Caller>;
  },
) {
  const { sources, caller } = options;

  router.get('/mcp-registry/sources', async (req, res) => {
    await caller(req);
    res.json(sources.list());
  });

  router.get('/mcp-registry/sources/:source/servers', async (req, res) => {
    const { credentials } = await caller(req);
    const { search, cursor, limit } = req.query;
    const text = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
    res.json(
      await sources.servers(
        req.params.source,
        {
          search: text(search),
          cursor: text(cursor),
          limit: limit === undefined ? undefined : Number(limit),
        },
        credentials,
      ),
    );
  });
}
