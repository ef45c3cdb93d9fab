import { randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatProblems } from './config-problem.js';
import type { RunResult } from './types.js';
import { validateDocument } from './validate.js';

/**
 * One run's folder: `detail.jsonl` streamed while the run goes, then `result.json` (checked
 * against the schema first) and `summary.txt` at the end.
 */
export class ResultWriter {
  readonly #dir: string;
  readonly #detail: WriteStream;
  /** First write error of the detail stream, reported by flushDetail/close rather than crashing. */
  #detailError: Error | null = null;
  #closing: Promise<void> | null = null;
  #finished = false;

  private constructor(dir: string, detail: WriteStream) {
    this.#dir = dir;
    this.#detail = detail;
    detail.on('error', (error) => {
      this.#detailError ??= error;
    });
  }

  /** Makes `<outputRoot>/<runId>/`; refuses a folder that exists, so no run overwrites another. */
  static async create(outputRoot: string, runId: string): Promise<ResultWriter> {
    await mkdir(outputRoot, { recursive: true });
    const dir = join(outputRoot, runId);
    try {
      await mkdir(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new Error(`run folder ${dir} already exists: each run needs its own (use a new run id or remove it)`);
      }
      throw error;
    }
    const detail = createWriteStream(join(dir, 'detail.jsonl'), { flags: 'a' });
    await new Promise<void>((resolve, reject) => {
      detail.once('error', reject);
      detail.once('open', () => {
        detail.off('error', reject);
        resolve();
      });
    });
    return new ResultWriter(dir, detail);
  }

  get dir(): string {
    return this.#dir;
  }

  /** One JSON line, buffered in memory until the stream writes it: no await on the run's path. */
  appendDetail(record: object): void {
    if (this.#closing !== null) throw new Error(`detail.jsonl of ${this.#dir} is already closed`);
    this.#detail.write(`${JSON.stringify(record)}\n`);
  }

  /** Resolves once every line appended so far has reached the file. */
  flushDetail(): Promise<void> {
    if (this.#closing !== null) return this.#closing;
    return new Promise((resolve, reject) => {
      // Writes complete in order, so an empty write's callback follows every earlier line.
      this.#detail.write('', (error) => {
        const failed = error ?? this.#detailError;
        if (failed) reject(failed);
        else resolve();
      });
    });
  }

  /** Flushes and closes detail.jsonl, once; for a run that ends without a result. */
  close(): Promise<void> {
    this.#closing ??= new Promise((resolve, reject) => {
      const settle = (): void => (this.#detailError === null ? resolve() : reject(this.#detailError));
      // 'close' follows 'error' too; a stream an error already destroyed is closed by now.
      if (this.#detail.closed) {
        settle();
      } else {
        this.#detail.once('close', settle);
        this.#detail.end();
      }
    });
    return this.#closing;
  }

  /**
   * Checks `result` against schemas/result.schema.json, then writes result.json and
   * summary.txt. A result that fails the check is kept as result.rejected.json (so nothing
   * measured is lost) and the problems are thrown.
   */
  async finish(result: RunResult, summaryText: string): Promise<void> {
    if (this.#finished) throw new Error(`result of ${this.#dir} was already written`);
    this.#finished = true;
    const problems = validateDocument('result', result, join(this.#dir, 'result.json'));
    const file = problems.length === 0 ? 'result.json' : 'result.rejected.json';
    try {
      await writeFile(join(this.#dir, file), `${JSON.stringify(result, null, 2)}\n`);
      await writeFile(join(this.#dir, 'summary.txt'), summaryText.endsWith('\n') ? summaryText : `${summaryText}\n`);
    } finally {
      await this.close();
    }
    if (problems.length > 0) {
      throw new Error(
        `the result does not match schemas/result.schema.json (a bug in mlbench); saved as ${join(this.#dir, file)}:\n${formatProblems(problems)}`,
      );
    }
  }
}

/** `20261123T183205Z-server-a1b2c3`: sorts by start time; the random suffix keeps same-second runs apart. */
export function runIdFor(scenario: string, date: Date): string {
  const stamp = date.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const name = scenario.replace(/[^A-Za-z0-9._-]/g, '-');
  return `${stamp}-${name}-${randomBytes(3).toString('hex')}`;
}
