#!/usr/bin/env bash
# npm run test:node-matrix: the test suite (npm test) and the consumer test on every Node major of
# the CI matrix (scripts/lib/node-matrix.json). The machine's own node serves its major; the others
# come from the registry's `node` package (`npm install --prefix DIR node@<major>` puts the binary at
# DIR/node_modules/.bin/node), cached in $NODE_MATRIX_DIR (default ~/.cache/bearerkit-node-matrix).
# Each run puts that node first on PATH, so npm, vitest and every child process run under it; the
# script checks that `node --version` inside npm's script environment is the expected one.
#
#   scripts/node-matrix.sh            # every major in the matrix
#   scripts/node-matrix.sh 22 24      # only these
set -euo pipefail
cd "$(dirname "$0")/.."

majors="${*:-$(node -p "require('./scripts/lib/node-matrix.json').node.join(' ')")}"
cache="${NODE_MATRIX_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/bearerkit-node-matrix}"
system_node="$(command -v node)"
system_major="$(node -p 'process.versions.node.split(".")[0]')"
summary=()

for major in $majors; do
  if [ "$major" = "$system_major" ]; then
    bin_dir="$(dirname "$system_node")"
    origin="this machine"
  else
    dir="$cache/node$major"
    printf '\n== Node %s: npm install --prefix %s node@%s\n' "$major" "$dir" "$major"
    mkdir -p "$dir"
    npm install --prefix "$dir" --no-audit --no-fund --loglevel=error "node@$major"
    bin_dir="$dir/node_modules/.bin"
    origin="npm package node@$major"
  fi
  [ -x "$bin_dir/node" ] || { echo "no node binary at $bin_dir/node"; exit 1; }

  version="$(PATH="$bin_dir:$PATH" node --version)"
  inside="$(PATH="$bin_dir:$PATH" npm exec --no -c 'node --version' 2>/dev/null | tail -n 1)"
  case "$version" in "v$major".*) ;; *) echo "expected Node $major, got $version"; exit 1 ;; esac
  [ "$inside" = "$version" ] || { echo "npm scripts would run $inside, not $version"; exit 1; }
  printf '\n== Node %s (%s, %s): npm test\n' "$version" "$origin" "$bin_dir/node"
  PATH="$bin_dir:$PATH" npm test
  printf '\n== Node %s: consumer test\n' "$version"
  PATH="$bin_dir:$PATH" node scripts/consumer-test.mjs
  summary+=("Node $version ($origin): npm test ok, consumer test ok")
done

printf '\n== Node matrix\n'
printf '  %s\n' "${summary[@]}"
