import type { UserConsoleLog } from 'vitest';
import type { Reporter, TestCase, TestModule } from 'vitest/node';

/**
 * Streams grading progress as it happens, one JSON event per line on stdout, each line starting
 * with MARKER so the grader can pick events out of whatever else reaches stdout. The JSON reporter
 * writes the final results; these events exist for what it cannot give: live progress, console
 * output per test, and — when a learner's endless loop forces the grader to kill the run — a record
 * of which test was running and which had already finished.
 *
 * Runs inside Vitest's main process, locally (Node 22) and in a WebContainer (Node 20): plain
 * ES2022, no dependencies. Event shapes are mirrored by `HopEvent` in src/engine/events.ts.
 */
export const MARKER = '\u001ehop:';

type TestRef = { id: string; file: string; name: string };

export default class HopReporter implements Reporter {
  private root = '';

  onInit(vitest: { config: { root: string } }): void {
    this.root = vitest.config.root.replace(/\/$/, '') + '/';
  }

  onTestModuleCollected(module: TestModule): void {
    const tests = Array.from(module.children.allTests(), (t) => this.ref(t));
    this.emit({ t: 'collected', id: module.id, file: this.relative(module.moduleId), tests });
  }

  onTestCaseReady(test: TestCase): void {
    this.emit({ t: 'start', ...this.ref(test) });
  }

  onTestCaseResult(test: TestCase): void {
    const result = test.result();
    const errors = (result.errors ?? []).map((e) => e.stack || e.message);
    this.emit({ t: 'end', ...this.ref(test), state: result.state, errors, ms: test.diagnostic()?.duration ?? 0 });
  }

  onTestModuleEnd(module: TestModule): void {
    const errors = module.errors().map((e) => e.stack || e.message);
    this.emit({ t: 'module-end', file: this.relative(module.moduleId), errors });
  }

  onUserConsoleLog(log: UserConsoleLog): void {
    this.emit({ t: 'log', id: log.taskId ?? null, stream: log.type, content: log.content });
  }

  /** Errors nothing caught (e.g. a throw inside the learner's request handler), with the test they broke. */
  onTestRunEnd(_modules: unknown, unhandledErrors: ReadonlyArray<Record<string, unknown>>): void {
    const unhandled = unhandledErrors.map((e) => ({
      error: String(e.stack || e.message || e),
      file: typeof e.VITEST_TEST_PATH === 'string' ? this.relative(e.VITEST_TEST_PATH) : null,
      name: typeof e.VITEST_TEST_NAME === 'string' ? e.VITEST_TEST_NAME : null,
    }));
    this.emit({ t: 'done', unhandled });
  }

  private ref(test: TestCase): TestRef {
    const names = [test.name];
    for (let p = test.parent; p.type === 'suite'; p = p.parent) names.unshift(p.name);
    return { id: test.id, file: this.relative(test.module.moduleId), name: names.join(' › ') };
  }

  private relative(path: string): string {
    return path.startsWith(this.root) ? path.slice(this.root.length) : path;
  }

  private emit(event: Record<string, unknown>): void {
    // Synchronous on pipes in Node, so an event is out before a watchdog can kill this process.
    process.stdout.write(`${MARKER}${JSON.stringify(event)}\n`);
  }
}
