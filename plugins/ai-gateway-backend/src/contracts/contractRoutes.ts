import type { Request, Router } from 'express';
import type { Caller } from '../service/ResourceService';
import type { McpContractService } from './McpContractService';

/** HTTP of MCP server contracts: the newest one, and a check now. */
export function addContractRoutes(
  router: Router,
  options: {
    contracts: McpContractService;
    caller: (req: Request) => Promise<Caller>;
  },
) {
  const { contracts, caller } = options;

  router.get('/mcp-servers/:name/contract', async (req, res) => {
    res.json(await contracts.get(req.params.name, await caller(req)));
  });

  router.post('/mcp-servers/:name/contract/check', async (req, res) => {
    res.json(
      await contracts.check(
        req.params.name,
        await caller(req),
        req.header('x-mcp-authorization') || undefined,
      ),
    );
  });
}
