import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import autocannon from 'autocannon';

const run = promisify(execFile);

/** One load tool's best rate over the connection counts tried. */
export interface ToolResult {
  readonly tool: 'autocannon' | 'wrk';
  /** Requests/s per connection count tried. */
  readonly byConnections: readonly { readonly connections: number; readonly requestsPerSecond: number; readonly errors: number }[];
  readonly bestRequestsPerSecond: number;
  /** Why the tool did not run, when it did not. */
  readonly skipped: string | null;
}

export interface PostTarget {
  readonly url: string;
  readonly body: string;
  readonly contentType: string;
}

/** autocannon at full speed (no rate limit), pipelining 1 as mlbench's pool uses. */
export async function runAutocannon(target: PostTarget, connections: readonly number[], durationS: number): Promise<ToolResult> {
  const byConnections = [];
  for (const c of connections) {
    const result = await autocannon({
      url: target.url,
      method: 'POST',
      body: target.body,
      headers: { 'content-type': target.contentType },
      connections: c,
      pipelining: 1,
      duration: durationS,
    });
    byConnections.push({ connections: c, requestsPerSecond: result.requests.average, errors: result.errors + result.non2xx });
  }
  return { tool: 'autocannon', byConnections, bestRequestsPerSecond: Math.max(...byConnections.map((r) => r.requestsPerSecond)), skipped: null };
}

/** wrk (Debian's package) with one thread, so it gets the same core budget as the others. */
export async function runWrk(target: PostTarget, connections: readonly number[], durationS: number, scratch: string): Promise<ToolResult> {
  try {
    await run('wrk', ['--version']).catch((error: { code?: string | number }) => {
      // wrk --version exits 1 after printing its version; only a missing binary matters.
      if (error.code === 'ENOENT') throw error;
    });
  } catch {
    return { tool: 'wrk', byConnections: [], bestRequestsPerSecond: Number.NaN, skipped: 'wrk is not installed (Debian: apt-get install wrk)' };
  }
  const script = join(scratch, 'post.lua');
  const escaped = target.body.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
  await writeFile(script, `wrk.method = "POST"\nwrk.body = '${escaped}'\nwrk.headers["Content-Type"] = "${target.contentType}"\n`);
  const byConnections = [];
  for (const c of connections) {
    const { stdout } = await run('wrk', ['-t1', `-c${c}`, `-d${durationS}s`, '-s', script, target.url]);
    const rate = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1] ?? Number.NaN);
    const errors = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(stdout)?.[1] ?? 0);
    byConnections.push({ connections: c, requestsPerSecond: rate, errors });
  }
  return { tool: 'wrk', byConnections, bestRequestsPerSecond: Math.max(...byConnections.map((r) => r.requestsPerSecond)), skipped: null };
}
