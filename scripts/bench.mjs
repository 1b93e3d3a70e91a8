#!/usr/bin/env node
// `npm run bench` entry: runs the TypeScript benchmark with tsx.
import { register } from 'tsx/esm/api';

register();
await import('./bench/index.ts');
