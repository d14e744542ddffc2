// Checks a packed package: its package.json points at dist/ (not src/), and every
// file its entry points name (main, module, types, exports, typesVersions, bin,
// configSchema) is in the tarball. Exits 1 with the problems listed.
//
// Usage: node verify-tarball.mjs <file.tgz>
import { execFileSync } from 'node:child_process';

const [tarball] = process.argv.slice(2);
const files = new Set(
  execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .map(f => f.replace(/^package\//, '')),
);
const pkg = JSON.parse(
  execFileSync('tar', ['-xOzf', tarball, 'package/package.json'], {
    encoding: 'utf8',
  }),
);
const problems = [];

const referenced = []; // [field, path]
for (const field of ['main', 'module', 'types', 'typings', 'browser']) {
  if (typeof pkg[field] === 'string') referenced.push([field, pkg[field]]);
}
const walkExports = (value, where) => {
  if (typeof value === 'string') referenced.push([where, value]);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      // `backstage` names the entry point's default feature type (set by prepack), not a file.
      if (k !== 'backstage') walkExports(v, `${where}[${JSON.stringify(k)}]`);
    }
  }
};
walkExports(pkg.exports, 'exports');
for (const [entry, paths] of Object.entries(pkg.typesVersions?.['*'] ?? {})) {
  for (const p of paths) referenced.push([`typesVersions["*"].${entry}`, p]);
}
const bins =
  typeof pkg.bin === 'string' ? { [pkg.name]: pkg.bin } : pkg.bin ?? {};
for (const [name, p] of Object.entries(bins))
  referenced.push([`bin.${name}`, p]);
if (typeof pkg.configSchema === 'string')
  referenced.push(['configSchema', pkg.configSchema]);

for (const [field, p] of referenced) {
  const file = p.replace(/^\.\//, '');
  const isCode = /\.(c|m)?(j|t)sx?$/.test(file) && !field.startsWith('bin.');
  if (isCode && !file.startsWith('dist/'))
    problems.push(`${field} points at ${p}, not at dist/`);
  if (!files.has(file))
    problems.push(`${field} names ${p}, which is not in the tarball`);
}
if (!files.has('dist/index.cjs.js') && !files.has('dist/index.esm.js')) {
  problems.push(
    'no dist/index.cjs.js or dist/index.esm.js in the tarball (was it built?)',
  );
}
for (const f of files) {
  if (f.startsWith('src/')) problems.push(`the tarball holds source file ${f}`);
}

if (problems.length) {
  console.error(
    `${pkg.name}@${pkg.version} (${tarball}):\n  ${problems.join('\n  ')}`,
  );
  process.exit(1);
}
console.log(
  `${pkg.name}@${pkg.version}: ${files.size} files; entry points ${referenced
    .map(([, p]) => p)
    .join(', ')}`,
);
