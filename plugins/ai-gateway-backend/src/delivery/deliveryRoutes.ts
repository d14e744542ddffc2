import type { Request, Router } from 'express';
import { stringify } from 'yaml';
import type { Caller } from '../service/ResourceService';
import type { PoolDeliveryService } from './PoolDeliveryService';

const bearer = (req: Request) =>
  req.header('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1];

/**
 * HTTP of pool delivery: manifests and diffs, the deployer Role, force sync
 * and reseed, status, and the operator's heartbeat and bundle endpoints
 * (authenticated by the pool's enrollment token, not a Backstage identity).
 */
export function addDeliveryRoutes(
  router: Router,
  options: {
    delivery: PoolDeliveryService;
    caller: (req: Request) => Promise<Caller>;
  },
) {
  const { delivery, caller } = options;

  router.get('/pools/:name/manifests', async (req, res) => {
    // The validated router has checked format (json, yaml) and diff (live).
    if (req.query.diff === 'live') {
      res.json(await delivery.diffLive(req.params.name, await caller(req)));
      return;
    }
    if (req.query.format === 'yaml') {
      const { revision, yaml } = await delivery.manifestsYaml(
        req.params.name,
        await caller(req),
      );
      res.setHeader('ETag', `"${revision}"`);
      res.type('application/yaml').send(yaml);
      return;
    }
    const bundle = await delivery.manifests(req.params.name, await caller(req));
    res.setHeader('ETag', `"${bundle.revision}"`);
    res.json(bundle);
  });

  router.get('/fleet', async (req, res) => {
    res.json({ items: await delivery.fleet(await caller(req)) });
  });

  router.get('/pools/:name/gitops', async (req, res) => {
    res.json(await delivery.gitopsFiles(req.params.name, await caller(req)));
  });

  router.get('/pools/:name/rbac/deployer-role', async (req, res) => {
    const role = await delivery.deployerRole(
      req.params.name,
      await caller(req),
    );
    if (req.query.format === 'yaml')
      res.type('application/yaml').send(stringify(role));
    else res.json(role);
  });

  router.get('/pools/:name/status', async (req, res) => {
    res.json(await delivery.status(req.params.name, await caller(req)));
  });

  router.post('/pools/:name/sync', async (req, res) => {
    res
      .status(202)
      .json(await delivery.request(req.params.name, 'sync', await caller(req)));
  });

  router.post('/pools/:name/reseed', async (req, res) => {
    res
      .status(202)
      .json(
        await delivery.request(req.params.name, 'reseed', await caller(req)),
      );
  });

  router.post('/agent/v1/heartbeat', async (req, res) => {
    res.json(await delivery.heartbeat(bearer(req), req.body));
  });

  router.get('/agent/v1/bundle', async (req, res) => {
    const wait = Number(req.query.wait ?? 0); // 0-60 s, checked by the validated router
    const ifNoneMatch = req
      .header('if-none-match')
      ?.replace(/^W\//, '')
      .replace(/"/g, '');
    const abort = new AbortController();
    res.on('close', () => abort.abort());
    const bundle = await delivery.pull(bearer(req), {
      ifNoneMatch,
      waitMs: wait * 1000,
      signal: abort.signal,
    });
    if (!bundle) {
      res.status(304).end();
      return;
    }
    // res.end, not res.json: Express would turn a reseed of the running
    // revision into a 304 by its own ETag freshness check.
    res
      .status(200)
      .set({
        ETag: `"${bundle.revision}"`,
        'Content-Type': 'application/json; charset=utf-8',
      })
      .end(JSON.stringify(bundle));
  });
}
