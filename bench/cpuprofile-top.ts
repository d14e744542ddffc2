/*
 * Summarises a V8 CPU profile (a .cpuprofile written with BENCH_CPU_PROF):
 * self time by function and by package, busiest first.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs \
 *     bench/cpuprofile-top.ts <file.cpuprofile> [top=30] [last-seconds]
 *
 * With last-seconds, only the samples of the profile's last seconds count
 * (e.g. the measured phase of a bench, without start-up and seeding).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

type ProfileNode = {
  id: number;
  callFrame: {
    functionName: string;
    url: string;
    lineNumber: number;
    columnNumber: number;
  };
};
type Profile = {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
};

const repoRoot = path.resolve(__dirname, '..');

/** node_modules/<package> or the workspace folder (plugins/x, bench) a script belongs to. */
function packageOf(url: string): string {
  if (!url) return '(native or V8)';
  const file = url.replace(/^file:\/\//, '');
  const modules = file.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const [scope, name] = file.slice(modules + 13).split('/');
    return scope.startsWith('@') ? `${scope}/${name}` : scope;
  }
  if (file.startsWith('node:') || !file.startsWith('/')) return 'node';
  const relative = path.relative(repoRoot, file).split(path.sep);
  return relative[0] === 'plugins' || relative[0] === 'packages'
    ? relative.slice(0, 2).join('/')
    : relative[0];
}

function main() {
  const [file, topArg, lastArg] = process.argv.slice(2);
  if (!file) {
    console.error(
      'usage: cpuprofile-top.ts <file.cpuprofile> [top] [last-seconds]',
    );
    process.exit(2);
  }
  const top = Number(topArg ?? 30);
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const nodes = new Map(profile.nodes.map(n => [n.id, n]));
  const from = lastArg ? profile.endTime - Number(lastArg) * 1e6 : -Infinity;
  const selfUs = new Map<number, number>();
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    if (at < from) return;
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const [id, us] of selfUs) {
    const { callFrame } = nodes.get(id)!;
    total += us;
    if (callFrame.functionName === '(idle)') idle += us;
    const where = callFrame.url
      ? `${path.relative(repoRoot, callFrame.url.replace(/^file:\/\//, ''))}:${
          callFrame.lineNumber + 1
        }`
      : '';
    const key = `${callFrame.functionName || '(anonymous)'} ${where}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    const pkg = callFrame.url
      ? packageOf(callFrame.url)
      : callFrame.functionName;
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
  }
  const busy = total - idle;
  const print = (title: string, entries: Map<string, number>) => {
    console.log(`\n${title}`);
    for (const [key, us] of [...entries]
      .filter(([key]) => key !== '(idle)' && !key.startsWith('(idle) '))
      .sort((x, y) => y[1] - x[1])
      .slice(0, top))
      console.log(
        `${(us / 1000).toFixed(0).padStart(8)} ms ${((100 * us) / busy)
          .toFixed(1)
          .padStart(5)}%  ${key}`,
      );
  };
  console.log(
    `${file}${lastArg ? ` (last ${lastArg} s)` : ''}: ${(total / 1e6).toFixed(
      1,
    )} s profiled, ${(busy / 1e6).toFixed(
      1,
    )} s busy (percentages are of busy time)`,
  );
  print('self time by package', byPackage);
  print('self time by function', byFunction);
}

main();
