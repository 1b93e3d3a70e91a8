#!/usr/bin/env node
// The `hop` command. The CLI is TypeScript; tsx compiles it on the fly so there is no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/hop.ts');
process.exitCode = await main(process.argv.slice(2));
