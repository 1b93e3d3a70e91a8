import { vi } from 'vitest';

/**
 * Runs first in the one worker that runs every stage file (hop-grade.config.ts: isolate: false),
 * before each file. Dropping the module cache gives each stage file a fresh import of the
 * learner's code, the kit and the lab's helpers, as a worker per file did: a round-robin counter,
 * a cache or a kit hook at module level starts over in every stage.
 */
vi.resetModules();
