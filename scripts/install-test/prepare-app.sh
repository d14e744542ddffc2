#!/usr/bin/env bash
# App preparation for scripts/test-install.sh: generates a brand-new Backstage app
# from the official template and installs it with npm. Nothing here is about the
# suite; it is what any npm user of @backstage/create-app has to do today.
#
# Usage: prepare-app.sh <work dir> <create-app version> <app dir>
set -euo pipefail
work="$1" create_app_version="$2" app="$3"

# create-app refuses to run without a `yarn` on PATH, even with --skip-install.
# yarn 1 satisfies it; it is used for nothing else.
npm install --no-audit --no-fund --silent --prefix "$work/yarn" yarn@1
export PATH="$work/yarn/node_modules/.bin:$PATH"

# The app's name comes from stdin. create-app cannot fetch its yarn.lock seed
# here (github.com is out of reach) and says so; npm does not read it anyway.
echo aigw-install-app | npx -y "@backstage/create-app@$create_app_version" --skip-install --path "$app"

cd "$app"
# npm instead of yarn (see the header of scripts/test-install.sh):
# - @material-ui/core@4 declares React 16/17 peers while Backstage uses React 18.
printf 'legacy-peer-deps=true\nfund=false\naudit=false\n' >> .npmrc
node - <<'NODE'
const fs = require('fs');
const edit = (file, change) => {
  const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
  change(pkg);
  fs.writeFileSync(file, JSON.stringify(pkg, null, 2) + '\n');
};
edit('package.json', pkg => {
  pkg.overrides = {
    // 4.9.2 has a yarn-only `patch:` dependency; npm exits 1 during resolution.
    '@yarnpkg/core': '4.9.1',
    // the template's yarn `resolutions`, plus React itself (npm would hoist React 17).
    react: '^18.3.1',
    'react-dom': '^18.3.1',
    '@types/react': '^18.3.12',
    '@types/react-dom': '^18.3.1',
  };
  // npm 11 runs dependency install scripts only when allowed here.
  pkg.allowScripts = { 'better-sqlite3': true, esbuild: true, '@swc/core': true };
});
edit('packages/backend/package.json', pkg => {
  // `link:` is yarn-only; the workspace satisfies "*".
  pkg.dependencies.app = '*';
  // Without the yarn.lock seed npm takes the newest signals-backend, which needs a
  // newer backend-defaults than the template's: pin the release's own version.
  const signals = pkg.dependencies['@backstage/plugin-signals-backend'];
  if (signals) pkg.dependencies['@backstage/plugin-signals-backend'] = signals.replace(/^\^/, '');
});
NODE
npm install --no-audit --no-fund

# create-app made a git repository: record the prepared app, so that `git diff` in
# the app shows exactly what the suite's README steps change.
if [ -d .git ]; then
  git add -A && git -c user.name=install-test -c user.email=install-test@localhost \
    commit -q -m "Prepared for npm (scripts/test-install.sh)"
fi
