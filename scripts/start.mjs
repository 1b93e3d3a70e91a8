#!/usr/bin/env node
// `npm start` entry: lets Node run the TypeScript server directly.
import { register } from 'tsx/esm/api';

register();
await import('../src/server/start.ts');
