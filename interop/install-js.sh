#!/usr/bin/env bash
# Installs the js-libp2p reference node's package set (interop/js/package-lock.json) with `npm ci`, unless the
# installed tree already comes from this very lock. Fails, saying what to install, when Node.js 20+ or npm is missing.
set -euo pipefail
js="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/js"

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "install-js.sh: Node.js 20 or newer and npm are required for the js-libp2p interop node, and are missing." >&2
  echo "install-js.sh: install them (Debian 12's own nodejs is 18: use a Node.js 20+ build that ships npm), then" >&2
  echo "install-js.sh: rerun; the interop tests fail until then." >&2
  exit 1
fi
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 20 ]; then
  echo "install-js.sh: Node.js $(node --version) is too old for the interop package set: 20 or newer is required." >&2
  exit 1
fi

stamp="$js/node_modules/.installed-from-lock.sha256"
want=$(sha256sum "$js/package-lock.json" | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
echo "install-js.sh: npm ci in interop/js" >&2
# The lock has no registry addresses (interop/js/.npmrc): npm fetches from whichever registry this machine uses,
# and the lock's integrity hashes pin every package.
(cd "$js" && npm ci --no-audit --no-fund --loglevel=error)
echo "$want" >"$stamp"
