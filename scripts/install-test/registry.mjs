// A read-only npm registry on 127.0.0.1 that serves the suite's packed tarballs,
// standing in for npmjs.com where the suite is not published (yet). The test app's
// .npmrc routes only the suite's scope here, so the README commands run exactly as
// written (`npm install @ai-gateway-backstage/...`) and npm resolves the suite's
// dependencies on each other from these tarballs, as it would from the real registry.
//
// Usage: node registry.mjs <tarball dir> <port file>
// Prints nothing; writes the port it listens on to <port file> once ready.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';

const [tarballDir, portFile] = process.argv.slice(2);
if (!tarballDir || !portFile) {
  console.error('usage: node registry.mjs <tarball dir> <port file>');
  process.exit(2);
}

/** name -> { manifest (the packed package.json), file, bytes } */
const packages = new Map();
for (const file of readdirSync(tarballDir).filter(f => f.endsWith('.tgz'))) {
  const full = path.join(tarballDir, file);
  const manifest = JSON.parse(
    execFileSync('tar', ['-xOzf', full, 'package/package.json'], {
      encoding: 'utf8',
    }),
  );
  packages.set(manifest.name, { manifest, file, bytes: readFileSync(full) });
}

function packument(name, baseUrl) {
  const { manifest, file, bytes } = packages.get(name);
  const version = {
    ...manifest,
    _id: `${name}@${manifest.version}`,
    dist: {
      tarball: `${baseUrl}/-/tarballs/${encodeURIComponent(file)}`,
      shasum: createHash('sha1').update(bytes).digest('hex'),
      integrity: `sha512-${createHash('sha512')
        .update(bytes)
        .digest('base64')}`,
    },
  };
  return {
    _id: name,
    name,
    'dist-tags': { latest: manifest.version },
    versions: { [manifest.version]: version },
  };
}

const server = createServer((req, res) => {
  const url = decodeURIComponent(new URL(req.url, 'http://x').pathname).replace(
    /^\//,
    '',
  );
  const baseUrl = `http://${req.headers.host}`;
  const send = (status, body, type = 'application/json') => {
    res.writeHead(status, {
      'content-type': type,
      'cache-control': 'no-store',
    });
    res.end(body);
  };
  if (url.startsWith('-/tarballs/')) {
    const file = url.slice('-/tarballs/'.length);
    const entry = [...packages.values()].find(p => p.file === file);
    return entry
      ? send(200, entry.bytes, 'application/octet-stream')
      : send(404, '{"error":"not found"}');
  }
  if (packages.has(url))
    return send(200, JSON.stringify(packument(url, baseUrl)));
  console.error(`registry: ${req.method} ${req.url} -> 404`);
  return send(
    404,
    JSON.stringify({
      error: `${url} is not one of the suite's packed packages`,
    }),
  );
});

server.listen(0, '127.0.0.1', () => {
  writeFileSync(portFile, String(server.address().port));
});
