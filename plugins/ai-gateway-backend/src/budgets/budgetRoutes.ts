import type { Request, Router } from 'express';
import type { Caller } from '../service/ResourceService';
import type { BudgetService } from './BudgetService';

/** HTTP of budgets: CRUD under /budgets and the state of the current window. */
export function addBudgetRoutes(
  router: Router,
  options: {
    budgets: BudgetService;
    caller: (req: Request) => Promise<Caller>;
  },
) {
  const { budgets, caller } = options;

  router.get('/budgets', async (req, res) => {
    res.json(await budgets.list(await caller(req)));
  });

  router.post('/budgets', async (req, res) => {
    const budget = await budgets.create(req.body, await caller(req));
    res.location(`${req.baseUrl}/budgets/${budget.name}`);
    res.status(201).json(budget);
  });

  router.get('/budgets/:name', async (req, res) => {
    res.json(await budgets.get(req.params.name, await caller(req)));
  });

  router.put('/budgets/:name', async (req, res) => {
    const { version, ...spec } = req.body as { version?: number };
    const ifMatch = req.header('if-match')?.replace(/^W\/|"/g, '');
    res.json(
      await budgets.update(
        req.params.name,
        spec,
        version ?? (ifMatch ? Number(ifMatch) : undefined),
        await caller(req),
      ),
    );
  });

  router.delete('/budgets/:name', async (req, res) => {
    res.json(await budgets.delete(req.params.name, await caller(req)));
  });

  router.get('/budgets/:name/state', async (req, res) => {
    res.json(await budgets.state(req.params.name, await caller(req)));
  });
}
