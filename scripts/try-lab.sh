#!/usr/bin/env bash
# Authoring shortcut until `hop grade` exists: runs a lab's hidden tests against its starter/ or
# solution/ in a throwaway copy of the shared workspace. Usage: scripts/try-lab.sh <slug> <starter|solution> [vitest args]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
slug=$1; variant=$2; shift 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r "$root/labs/_workspace/"{package.json,vitest.config.ts,tsconfig.json,kit} "$tmp/"
ln -s "$root/labs/_workspace/node_modules" "$tmp/node_modules"
mkdir -p "$tmp/src" "$tmp/tests"
cp -r "$root/labs/$slug/$variant/." "$tmp/src/"
cp -r "$root/labs/$slug/tests/." "$tmp/tests/"
cd "$tmp" && ./node_modules/.bin/vitest run "$@"
