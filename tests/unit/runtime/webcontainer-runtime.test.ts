import { afterEach, describe, expect, test } from 'vitest';
import type { LabManifest } from '../../../src/schemas/lab.ts';
import type { LabBundle } from '../../../src/runtime/bundle.ts';
import type { RuntimePhase } from '../../../src/runtime/types.ts';
import { createWebContainerRuntime, resetPageBootForTests, toTree } from '../../../src/runtime/webcontainer-runtime.ts';
import { FakeWebContainer, fakeVitest, type FakeTest, type Script } from './fake-webcontainer.ts';

const manifest: LabManifest = {
  title: 'Echo lab',
  summary: 'A small lab used to test the in-browser runtime end to end.',
  lesson: 'dns',
  difficulty: 'beginner',
  minutes: 10,
  files: ['server.ts'],
  runtimes: ['webcontainer', 'local'],
  stages: [
    { id: 'echo', title: 'Echo', goal: 'Echo the request body back.', hints: ['Read the body first.', 'Pipe req to res.'] },
    { id: 'upper', title: 'Upper', goal: 'Upper-case the request body.', hints: ['Transform chunks.', 'Use toUpperCase.'] },
    { id: 'udp', title: 'UDP', goal: 'Echo datagrams over UDP too.', hints: ['Use dgram.', 'Bind to port 0.'], runtimes: ['local'], runtimeNote: 'WebContainers have no UDP; run this stage with npm start.' },
  ],
};
const bundle: LabBundle = {
  lab: 'echo',
  workspace: { 'package.json': '{"name":"ws"}', 'package-lock.json': '{}', 'kit/net.ts': 'export {}' },
  tests: { '01-echo.test.ts': 'a', '02-upper.test.ts': 'b', '03-udp.test.ts': 'c', 'support.ts': 'helpers' },
};
const passing: Record<string, FakeTest[]> = {
  '01-echo.test.ts': [{ name: 'echoes the body', state: 'passed', log: 'learner says hi\n' }],
  '02-upper.test.ts': [{ name: 'upper-cases the body', state: 'failed', errors: ['AssertionError: expected "abc" to be "ABC"'] }],
};
const npmOk: Script = (p) => {
  p.write('added 43 packages in 2s\n');
  p.finish(0);
};

const isolated = { crossOriginIsolated: true, sharedArrayBuffer: true };
afterEach(() => resetPageBootForTests());

function setup(scripts: Record<string, Script> = { npm: npmOk, node: fakeVitest(passing) }, extra: Partial<Parameters<typeof createWebContainerRuntime>[0]> = {}) {
  const wc = new FakeWebContainer(scripts);
  const runtime = createWebContainerRuntime({
    lab: 'echo',
    loadBundle: async () => bundle,
    boot: async () => wc,
    environment: isolated,
    ...extra,
  });
  return { wc, runtime };
}

describe('WebContainer runtime', () => {
  test('mounts the workspace, installs its dependencies and reports each phase', async () => {
    const { wc, runtime } = setup();
    const phases: RuntimePhase['phase'][] = [];
    await runtime.prepare({ onPhase: (p) => phases.push(p.phase) });
    expect(wc.list('')).toEqual(['kit/net.ts', 'package-lock.json', 'package.json']);
    expect(wc.spawned.map((p) => [p.command, p.args])).toEqual([['npm', ['install', '--no-audit', '--no-fund']]]);
    expect(phases[0]).toBe('booting');
    expect(phases).toContain('installing');
    expect(phases.at(-1)).toBe('ready');
  });

  test('grades the learner files and mounts hidden tests only while the run lasts', async () => {
    const { wc, runtime } = setup();
    const output: string[] = [];
    const report = await runtime.run({ lab: 'echo', manifest, files: { 'server.ts': 'export const x = 1;' }, onOutput: (t) => output.push(t) });
    expect(wc.files.get('src/server.ts')).toBe('export const x = 1;');
    expect(wc.spawned[1]!.args).toEqual(['node_modules/vitest/vitest.mjs', 'run', '--config', 'hop-grade.config.ts', '--testTimeout=5000']);
    expect(report.stages.map((s) => [s.id, s.status])).toEqual([['echo', 'pass'], ['upper', 'fail'], ['udp', 'skipped']]);
    expect(report.tests.map((t) => [t.task_id, t.name, t.status])).toEqual([[1, 'echoes the body', 'pass'], [2, 'upper-cases the body', 'fail']]);
    expect(report.tests[1]!.message).toContain('expected "abc" to be "ABC"');
    expect(report.tests[0]!.output).toContain('learner says hi');
    expect(output.join('')).toContain('plain output from the run');
    expect(output.join('')).not.toContain('\u001ehop:');
    expect(wc.list('tests/')).toEqual([]);
  });

  test('mounts only the stages asked for, plus the helpers', async () => {
    let mounted: string[] = [];
    const { runtime } = setup({ npm: npmOk, node: (p, wc) => ((mounted = wc.list('tests/')), fakeVitest(passing)(p, wc)) });
    const report = await runtime.run({ lab: 'echo', manifest, files: { 'server.ts': '' }, uptoStage: 1 });
    expect(mounted).toEqual(['01-echo.test.ts', 'support.ts']);
    expect(report.stages.map((s) => s.status)).toEqual(['pass', 'not-run', 'not-run']);
  });

  test('names the stage UDP needs the local runtime for', () => {
    expect(setup().runtime.unsupportedStages(manifest)).toEqual([{ index: 3, note: 'WebContainers have no UDP; run this stage with npm start.' }]);
  });

  test('stops a test that never gives control back and reports it as a timeout', async () => {
    const { wc, runtime } = setup(
      { npm: npmOk, node: fakeVitest(passing, { hangOn: 'echoes the body' }) },
      { limits: { testMs: 40, graceMs: 20 } },
    );
    const report = await runtime.run({ lab: 'echo', manifest, files: { 'server.ts': 'while(true){}' } });
    expect(wc.spawned[1]!.killed).toBe(true);
    expect(report.stages[0]!.status).toBe('fail');
    expect(report.tests[0]!.message).toMatch(/echoes the body/);
    expect(report.tests[0]!.message).toMatch(/stage 1/i);
    expect(wc.list('tests/')).toEqual([]);
  });

  test('cancels a run when its signal aborts, killing the process and removing the tests', async () => {
    const controller = new AbortController();
    const { wc, runtime } = setup({ npm: npmOk, node: (p) => (p.write('starting\n'), controller.abort(new Error('learner pressed Cancel'))) });
    await expect(runtime.run({ lab: 'echo', manifest, files: { 'server.ts': '' }, signal: controller.signal })).rejects.toThrow('learner pressed Cancel');
    expect(wc.spawned[1]!.killed).toBe(true);
    expect(wc.list('tests/')).toEqual([]);
  });

  test('a new run cancels the one it replaces', async () => {
    let calls = 0;
    const { runtime } = setup({ npm: npmOk, node: (p, wc) => (++calls === 1 ? p.write('first run hangs\n') : fakeVitest(passing)(p, wc)) });
    const first = runtime.run({ lab: 'echo', manifest, files: { 'server.ts': '' } });
    await new Promise((r) => setTimeout(r, 20));
    const second = await runtime.run({ lab: 'echo', manifest, files: { 'server.ts': '' } });
    await expect(first).rejects.toThrow(/newer run/);
    expect(second.stages[0]!.status).toBe('pass');
  });

  test('ends a run as a crash when the container reports an error', async () => {
    const { runtime } = setup({ npm: npmOk, node: (_p, wc) => wc.emit('error', { message: 'out of memory' }) });
    const report = await runtime.run({ lab: 'echo', manifest, files: { 'server.ts': '' } });
    expect(report.status).toBe('error');
    expect(report.message).toContain('out of memory');
  });

  test('gives up on a boot that hangs, with a reason a learner can act on', async () => {
    const { runtime } = setup(undefined, { boot: () => new Promise(() => {}), bootTimeoutMs: 30 });
    const phases: RuntimePhase[] = [];
    await expect(runtime.prepare({ onPhase: (p) => phases.push(p) })).rejects.toThrowErrorMatchingInlineSnapshot(`
      [HopError: [BootTimeout] The in-browser runtime did not start within 1 s. It loads from StackBlitz's servers, so it needs an internet connection (and no blocker stopping stackblitz.com).
      Fix: Check your connection and press "Try again", or run the course locally with \`npm start\`.]
    `);
    expect(phases.at(-1)).toMatchObject({ phase: 'unavailable' });
  });

  test('refuses to boot on a page that is not cross-origin isolated', async () => {
    let booted = false;
    const { runtime } = setup(undefined, { boot: async () => ((booted = true), new FakeWebContainer({})), environment: { crossOriginIsolated: false, sharedArrayBuffer: false } });
    await expect(runtime.prepare()).rejects.toThrow(/\[NotIsolated\] This page is not cross-origin isolated/);
    expect(booted).toBe(false);
  });

  test('reports a failed install with npm\'s last lines', async () => {
    const { runtime } = setup({ npm: (p) => (p.write('npm ERR! network request failed\n'), p.finish(1)) });
    await expect(runtime.prepare()).rejects.toThrow(/\[InstallFailed\][\s\S]*code 1[\s\S]*network request failed/);
  });

  test('rejects learner file names that escape the workspace', async () => {
    const { runtime } = setup();
    await expect(runtime.run({ lab: 'echo', manifest, files: { '../package.json': '{}' } })).rejects.toThrow(/UnsafeLearnerPath/);
  });
});

test('toTree nests paths into the tree WebContainer.mount() takes', () => {
  expect(toTree({ 'a.ts': '1', 'kit/b.ts': '2', 'kit/deep/c.ts': '3' })).toEqual({
    'a.ts': { file: { contents: '1' } },
    kit: { directory: { 'b.ts': { file: { contents: '2' } }, deep: { directory: { 'c.ts': { file: { contents: '3' } } } } } },
  });
});
