#!/usr/bin/env node
// postinstall: the lab workspace (labs/_workspace) is its own package with its own lockfile —
// exactly what a WebContainer mounts — so `npm ci` at the root installs it too. Skipped for
// lockfile-only installs, which must not touch node_modules.
import { spawnSync } from 'node:child_process';

if (process.env.npm_config_package_lock_only === 'true' || process.env.HOP_SKIP_LAB_INSTALL) process.exit(0);
const npm = process.env.npm_execpath ? [process.execPath, process.env.npm_execpath] : ['npm'];
const result = spawnSync(npm[0], [...npm.slice(1), 'ci', '--prefix', 'labs/_workspace', '--no-audit', '--no-fund'], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
