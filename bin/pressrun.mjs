#!/usr/bin/env node
// Runs the TypeScript CLI with the flags it needs: tsx to load TypeScript, and the legacy
// OpenSSL provider that s3rver's list pagination relies on (its continuation tokens use DES).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../functions/local/cli.ts', import.meta.url));
const tsx = import.meta.resolve('tsx');
const { status } = spawnSync(process.execPath, ['--openssl-legacy-provider', '--import', tsx, cli, ...process.argv.slice(2)], {
  stdio: 'inherit',
});
process.exit(status ?? 1);
