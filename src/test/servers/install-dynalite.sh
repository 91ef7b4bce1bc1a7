#!/usr/bin/env bash
# Installs dynalite, the open-source DynamoDB the tests, the quickstart and the benchmark run against, from the npm
# registry at the versions pinned in dynalite/package-lock.json, into the directory given (the build passes
# target/dynalite). Run by Maven in generate-test-resources; skipped when that directory already holds a complete
# install of the same lockfile and launcher.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dest="$1"
needs="dynalite (the tests' DynamoDB) needs Node.js 20 or newer with npm on the PATH: from your distribution where it
ERROR: has 20 or newer, from https://nodejs.org, or, with any npm, 'npm install --prefix DIR node@20' and DIR/node_modules/.bin on the PATH"

fail() {
  echo "ERROR: $1" >&2
  echo "ERROR: $needs" >&2
  exit 1
}
command -v node >/dev/null 2>&1 || fail "node was not found on the PATH."
major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
[ "$major" -ge 20 ] 2>/dev/null || fail "found Node.js $(node --version 2>/dev/null || echo '(unreadable version)'), which is too old."
command -v npm >/dev/null 2>&1 || fail "npm was not found on the PATH (Node.js $(node --version) is there)."

stamp="$dest/.installed"
want="$(cat "$here/dynalite/package-lock.json" "$here/dynalite/serve.js" | sha256sum | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
rm -f "$stamp"
mkdir -p "$dest"
cp "$here/dynalite/package.json" "$here/dynalite/package-lock.json" "$here/dynalite/serve.js" "$dest/"
# no install scripts: classic-level (LevelDB, which dynalite loads even to keep tables in memory) ships prebuilt
# binaries for Linux, macOS and Windows on x64 and arm64, and node-gyp-build picks one when it is loaded
(cd "$dest" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error) \
  || fail "npm ci of dynalite failed in $dest (is the npm registry reachable?)."
echo "$want" > "$stamp" # written last: an install cut short is done again next time
echo "dynalite $(node -p "require('$dest/node_modules/dynalite/package.json').version") installed in $dest with Node.js $(node --version)"
