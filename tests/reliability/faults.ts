import { spawn } from 'node:child_process';
import { appendFileSync, closeSync, openSync, readSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, inject } from 'vitest';
import { ioError, setFaultHook } from '../../electron/core/faults';

/**
 * The reliability suite's fault harness. Every scenario runs inside `fault(name, fn)`, which counts it in the
 * run's summary line (`reliability: faults injected N, survived N, data lost N`, printed by globalSetup.ts):
 * - a scenario that returns normally survived (`{ dataLost: true }` if it found acknowledged data missing, which
 *   also fails the test);
 * - a scenario that throws (an assertion failed) did not survive.
 * Inject with `failAt` (an I/O error thrown at a named `faultPoint` in this process) or `crashAt` (a child
 * process killed with SIGKILL at that point: nothing after it runs, no finally, no close).
 */

const ROOT = resolve(__dirname, '../..');

export interface FaultOutcome {
  /** Acknowledged data was missing after the fault. */
  dataLost?: boolean;
}

export async function fault(name: string, scenario: () => Promise<FaultOutcome | void> | FaultOutcome | void): Promise<void> {
  let survived = false;
  let dataLost = false;
  try {
    const out = (await scenario()) ?? {};
    dataLost = !!out.dataLost;
    survived = true;
  } finally {
    setFaultHook(null);
    const state = expect.getState();
    appendFileSync(
      inject('reliabilityCounts'),
      JSON.stringify({ file: state.testPath, test: state.currentTestName, name, survived, dataLost }) + '\n',
    );
  }
  if (dataLost) throw new Error(`故障「${name}」之后已确认的数据丢失`);
}

/**
 * From now on (until the scenario ends), the `nth` time (1-based, default 1) `point` is reached in this process
 * it throws `error` (default an ENOSPC). Returns a probe telling how often the point was reached.
 */
export function failAt(point: string | RegExp, error: Error = ioError('ENOSPC', 'ENOSPC: no space left on device'), nth = 1) {
  const probe = { hits: 0, points: [] as string[] };
  setFaultHook((p) => {
    probe.points.push(p);
    if (typeof point === 'string' ? p !== point : !point.test(p)) return;
    probe.hits++;
    if (probe.hits === nth) throw error;
  });
  return probe;
}

/** Records every fault point reached (no fault): to list the crash points of an operation. */
export function tracePoints(): { points: string[] } {
  const trace = { points: [] as string[] };
  setFaultHook((p) => void trace.points.push(p));
  return trace;
}

export interface CrashSpec {
  /** Module (path from the repository root) exporting the scenario's action. */
  module: string;
  /** Its exported async function, called with `args`; its JSON-able result is returned when no crash happens. */
  export: string;
  args: unknown;
  /** The fault point at which the child process kills itself (SIGKILL); null runs the action to its end. */
  point: string | null;
  nth?: number;
}

export interface CrashResult {
  crashed: boolean;
  /** The action's result when it ran to its end. */
  result?: unknown;
  /** Fault points the child reached, in order (up to the crash). */
  points: string[];
  stderr: string;
}

/** Runs `spec.export(spec.args)` in a child process that is killed at `spec.point`. */
export function crashAt(spec: CrashSpec): Promise<CrashResult> {
  return new Promise((done, failed) => {
    const child = spawn(process.execPath, ['--import', 'tsx', resolve(__dirname, 'crashChild.ts')], {
      cwd: ROOT,
      env: { ...process.env, INCUBASE_CRASH_SPEC: JSON.stringify(spec) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.on('error', failed);
    child.on('close', (code, signal) => {
      const points = stdout
        .split('\n')
        .filter((l) => l.startsWith('POINT '))
        .map((l) => l.slice(6));
      const resultLine = stdout.split('\n').find((l) => l.startsWith('RESULT '));
      if (signal === 'SIGKILL') return done({ crashed: true, points, stderr });
      if (code !== 0) return failed(new Error(`crash child exited ${code}: ${stderr.slice(-2000)}`));
      if (spec.point) return failed(new Error(`fault point «${spec.point}» was never reached (reached: ${points.join(', ')})`));
      done({ crashed: false, points, stderr, result: resultLine ? JSON.parse(resultLine.slice(7)) : undefined });
    });
  });
}

/** Flips one byte of a file in place (XOR 0xFF), as a failing disk would. */
export function flipByte(file: string, offset: number): void {
  const fd = openSync(file, 'r+');
  try {
    const b = Buffer.alloc(1);
    readSync(fd, b, 0, 1, offset);
    b[0] ^= 0xff;
    writeSync(fd, b, 0, 1, offset);
  } finally {
    closeSync(fd);
  }
}
