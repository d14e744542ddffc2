// Reads the `## Installation` section of each package README and applies its
// steps to a Backstage app, exactly as written. The convention (also in the root
// README, "Package READMEs: the Installation section"):
//
//   ```bash                                        commands, run at the app root
//   ```ts title="packages/backend/src/index.ts"    lines inserted before `backend.start();`
//   ```diff title="packages/backend/src/index.ts"  `-` lines removed (whitespace-insensitive,
//                                                  so a statement spread over lines matches),
//                                                  `+` lines put in their place (before
//                                                  `backend.start();` when nothing is removed)
//   ```tsx title="packages/app/src/App.tsx"        `import` lines added after the app's imports;
//                                                  every other line is an expression appended to
//                                                  the `features` array of `createApp`
//   ```yaml title="app-config.yaml"                deep-merged into app-config.yaml (objects
//                                                  merge, lists and values replace)
//
// A fenced block with any other title inside the section is an error (so a README
// cannot silently hold a step this test does not apply); a block without a title in
// another language (```tsx, ```sh, ...) is an illustration and is not applied. The
// section ends at the next `## ` heading.
//
// Usage:
//   node readme-steps.mjs apply <app dir> <package dir>...   apply the steps, in order
//   node readme-steps.mjs list <package dir>...              print the steps (a dry run)
//
// `npm install` commands are run as written, except that consecutive ones with the
// same options (e.g. `--workspace backend`) are run as one command with all their
// packages: npm resolves the same tree, and each extra install of a full app costs
// most of a minute. They run before the next command of another kind, and at the end.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const YAML = require('yaml');

const BACKEND_INDEX = 'packages/backend/src/index.ts';
const APP_TSX = 'packages/app/src/App.tsx';
const APP_CONFIG = 'app-config.yaml';

/** The steps of a README's Installation section: [{ kind, code, line }]. */
export function parseInstallation(markdown, source) {
  const lines = markdown.split('\n');
  const start = lines.findIndex(l => /^##\s+Installation\s*$/.test(l));
  if (start < 0) return { steps: [], hasSection: false, ignored: [] };
  const steps = [];
  const ignored = [];
  for (let i = start + 1; i < lines.length; i++) {
    if (/^#{1,2}\s/.test(lines[i])) break;
    const open = /^(`{3,}|~{3,})\s*(\S*)\s*(.*)$/.exec(lines[i]);
    if (!open) continue;
    const [, fence, lang, attrs] = open;
    const body = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      if (
        lines[j].startsWith(fence[0].repeat(fence.length)) &&
        lines[j].trim().replace(/[`~]/g, '') === ''
      )
        break;
      body.push(lines[j]);
    }
    if (j === lines.length)
      throw new Error(`${source}:${i + 1}: unterminated code block`);
    const title = /title="([^"]*)"/.exec(attrs)?.[1];
    const where = `${source}:${i + 1}`;
    const code = body.join('\n');
    if (title === undefined) {
      if (lang === 'bash') steps.push({ kind: 'bash', code, where });
      else ignored.push({ lang, where });
    } else if (title === BACKEND_INDEX && ['ts', 'typescript'].includes(lang)) {
      steps.push({ kind: 'backend-insert', code, where });
    } else if (title === BACKEND_INDEX && lang === 'diff') {
      steps.push({ kind: 'backend-diff', code, where });
    } else if (
      title === APP_TSX &&
      ['ts', 'tsx', 'typescript'].includes(lang)
    ) {
      steps.push({ kind: 'app-features', code, where });
    } else if (title === APP_CONFIG && ['yaml', 'yml'].includes(lang)) {
      steps.push({ kind: 'config-merge', code, where });
    } else {
      throw new Error(
        `${where}: a \`\`\`${lang} block titled "${title}" is not a step this test can apply ` +
          `(see scripts/install-test/readme-steps.mjs for the convention)`,
      );
    }
    i = j;
  }
  return { steps, hasSection: true, ignored };
}

// --- file edits -------------------------------------------------------------

function insertBeforeBackendStart(source, lines) {
  const at = source.lastIndexOf('backend.start();');
  if (at < 0) throw new Error(`${BACKEND_INDEX} has no \`backend.start();\``);
  const lineStart = source.lastIndexOf('\n', at) + 1;
  return `${source.slice(0, lineStart)}${lines.join('\n')}\n\n${source.slice(
    lineStart,
  )}`;
}

/** Whitespace- and trailing-comma-insensitive form, with a map back to source offsets. */
function normalise(text) {
  let out = '';
  const map = [];
  for (let i = 0; i < text.length; i++) {
    if (/\s/.test(text[i])) continue;
    out += text[i];
    map.push(i);
  }
  // `import('x'),\n)` and `import('x'))` are the same statement.
  const collapsed = [];
  const collapsedMap = [];
  for (let i = 0; i < out.length; i++) {
    if (out[i] === ',' && out[i + 1] === ')') continue;
    collapsed.push(out[i]);
    collapsedMap.push(map[i]);
  }
  return { text: collapsed.join(''), map: collapsedMap };
}

function applyBackendDiff(source, code) {
  const removed = code
    .split('\n')
    .filter(l => l.startsWith('-'))
    .map(l => l.slice(1));
  const added = code
    .split('\n')
    .filter(l => l.startsWith('+'))
    .map(l => l.slice(1));
  if (removed.length === 0) return insertBeforeBackendStart(source, added);
  const wanted = normalise(removed.join('\n')).text;
  const file = normalise(source);
  const at = file.text.indexOf(wanted);
  if (at < 0 || wanted === '') {
    throw new Error(
      `${BACKEND_INDEX} does not contain the lines to remove:\n${removed.join(
        '\n',
      )}`,
    );
  }
  // Extend the match to whole lines.
  const from = source.lastIndexOf('\n', file.map[at]) + 1;
  const lastChar = file.map[at + wanted.length - 1];
  let to = source.indexOf('\n', lastChar);
  to = to < 0 ? source.length : to + 1;
  return `${source.slice(0, from)}${added
    .map(l => `${l}\n`)
    .join('')}${source.slice(to)}`;
}

function applyAppFeatures(source, code) {
  const lines = code
    .split('\n')
    .filter(l => l.trim() !== '' && !l.trim().startsWith('//'));
  const imports = lines.filter(l => l.startsWith('import '));
  const features = lines
    .filter(l => !l.startsWith('import '))
    .map(l => l.trim().replace(/,$/, ''));
  const importMatches = [...source.matchAll(/^import [^;]*;\s*$/gm)];
  const afterImports = importMatches.length
    ? importMatches[importMatches.length - 1].index +
      importMatches[importMatches.length - 1][0].length
    : 0;
  let result = `${source.slice(0, afterImports)}${
    imports.length ? `\n${imports.join('\n')}` : ''
  }${source.slice(afterImports)}`;
  if (features.length) {
    const m = /features:\s*\[/.exec(result);
    if (!m) throw new Error(`${APP_TSX} has no \`features: [\` in createApp`);
    const open = m.index + m[0].length;
    // Find the matching bracket.
    let depth = 1;
    let close = open;
    for (; close < result.length && depth > 0; close++) {
      if (result[close] === '[') depth++;
      if (result[close] === ']') depth--;
    }
    close--;
    const inner = result.slice(open, close).trimEnd();
    const sep = inner === '' ? '' : inner.endsWith(',') ? ' ' : ', ';
    result = `${result.slice(0, open)}${inner}${sep}${features.join(
      ', ',
    )}${result.slice(close)}`;
  }
  return result;
}

function mergeConfig(source, code) {
  const doc = YAML.parseDocument(source);
  const patch = YAML.parse(code);
  if (!patch || typeof patch !== 'object' || Array.isArray(patch)) {
    throw new Error('an app-config.yaml block must be a mapping');
  }
  const walk = (value, keys) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const existing = doc.getIn(keys);
      // An empty or scalar value at a path the patch nests under is replaced.
      if (keys.length > 0 && !YAML.isMap(existing))
        doc.setIn(keys, doc.createNode({}));
      for (const [k, v] of Object.entries(value)) walk(v, [...keys, k]);
    } else {
      doc.setIn(keys, doc.createNode(value));
    }
  };
  walk(patch, []);
  return doc.toString({ flowCollectionPadding: false, lineWidth: 0 });
}

// --- running ----------------------------------------------------------------

function run(command, cwd) {
  console.log(`  $ ${command.split('\n').join('\n    ')}`);
  const res = spawnSync('bash', ['-euo', 'pipefail', '-c', command], {
    cwd,
    stdio: 'inherit',
  });
  if (res.status !== 0)
    throw new Error(`command failed (exit ${res.status}): ${command}`);
}

/** `npm install a b --workspace x` -> { options: '--workspace x', specs: ['a', 'b'] }, else undefined. */
function parseNpmInstall(line) {
  if (/["'`$\\|;&<>]/.test(line)) return undefined;
  const words = line.trim().split(/\s+/);
  if (words[0] !== 'npm' || !['install', 'i', 'add'].includes(words[1]))
    return undefined;
  const specs = [];
  const options = [];
  for (let i = 2; i < words.length; i++) {
    const w = words[i];
    if (!w.startsWith('-')) specs.push(w);
    else if (['-w', '--workspace'].includes(w) && words[i + 1])
      options.push(`--workspace=${words[++i]}`);
    else options.push(w);
  }
  if (specs.length === 0) return undefined;
  return { options: options.sort().join(' '), specs };
}

function apply(appDir, packageDirs) {
  let pending; // { options, specs }
  const flush = () => {
    if (!pending) return;
    run(
      `npm install ${pending.specs.join(' ')} ${pending.options}`.trim(),
      appDir,
    );
    pending = undefined;
  };
  const edit = (file, change) => {
    const full = path.join(appDir, file);
    if (!existsSync(full)) throw new Error(`the app has no ${file}`);
    writeFileSync(full, change(readFileSync(full, 'utf8')));
  };
  for (const dir of packageDirs) {
    const readme = path.join(dir, 'README.md');
    const name = JSON.parse(
      readFileSync(path.join(dir, 'package.json'), 'utf8'),
    ).name;
    if (!existsSync(readme))
      throw new Error(`${name} has no README.md (${readme})`);
    const { steps, hasSection } = parseInstallation(
      readFileSync(readme, 'utf8'),
      readme,
    );
    console.log(
      `${name}: ${
        hasSection ? `${steps.length} step(s)` : 'no "## Installation" section'
      }`,
    );
    for (const step of steps) {
      console.log(
        `- ${step.kind} (${path.relative(process.cwd(), step.where)})`,
      );
      if (step.kind === 'bash') {
        for (const line of step.code
          .split('\n')
          .filter(l => l.trim() && !l.trim().startsWith('#'))) {
          const install = parseNpmInstall(line);
          if (install && (!pending || pending.options === install.options)) {
            pending = pending ?? { options: install.options, specs: [] };
            pending.specs.push(
              ...install.specs.filter(s => !pending.specs.includes(s)),
            );
            console.log(
              `  (npm install of ${install.specs.join(' ')} ${
                install.options
              }: batched)`,
            );
            continue;
          }
          flush();
          if (install) {
            pending = { options: install.options, specs: [...install.specs] };
            console.log(
              `  (npm install of ${install.specs.join(' ')} ${
                install.options
              }: batched)`,
            );
            continue;
          }
          run(line, appDir);
        }
      } else if (step.kind === 'backend-insert') {
        edit(BACKEND_INDEX, s =>
          insertBeforeBackendStart(s, step.code.split('\n')),
        );
      } else if (step.kind === 'backend-diff') {
        edit(BACKEND_INDEX, s => applyBackendDiff(s, step.code));
      } else if (step.kind === 'app-features') {
        edit(APP_TSX, s => applyAppFeatures(s, step.code));
      } else if (step.kind === 'config-merge') {
        edit(APP_CONFIG, s => mergeConfig(s, step.code));
      }
    }
  }
  flush();
}

const [command, ...args] = process.argv.slice(2);
try {
  if (command === 'apply') {
    const [appDir, ...packageDirs] = args;
    apply(
      path.resolve(appDir),
      packageDirs.map(d => path.resolve(d)),
    );
  } else if (command === 'list') {
    for (const dir of args) {
      const readme = path.join(dir, 'README.md');
      if (!existsSync(readme)) {
        console.log(`${readme}: MISSING`);
        continue;
      }
      const { steps, hasSection, ignored } = parseInstallation(
        readFileSync(readme, 'utf8'),
        readme,
      );
      console.log(
        `${readme}: ${hasSection ? '' : 'no Installation section; '}${
          steps.length
        } step(s)`,
      );
      for (const s of steps)
        console.log(
          `  ${s.kind} (${s.where})\n    ${s.code.split('\n').join('\n    ')}`,
        );
      for (const s of ignored)
        console.log(`  not a step: \`\`\`${s.lang} (${s.where})`);
    }
  } else {
    console.error(
      'usage: node readme-steps.mjs apply <app dir> <package dir>... | list <package dir>...',
    );
    process.exit(2);
  }
} catch (e) {
  console.error(`readme-steps: ${e.message}`);
  process.exit(1);
}
