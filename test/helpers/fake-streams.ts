import type { Clock, Query, ResponseSink, SystemUnderTest } from '../../src/loadgen/types.js';

/** How one fake stream behaves: its first token after `firstNs`, then one every `intervalNs`. */
export interface StreamScript {
  readonly firstNs: number;
  readonly intervalNs: number;
  /** Tokens in all (each chunk carries `perChunk`). */
  readonly tokens: number;
  readonly perChunk?: number;
  /** Break (fail) after this many tokens instead of completing. */
  readonly breakAfter?: number;
  /** Report this count at completion instead of the streamed one (a server's usage field). */
  readonly reportedTokens?: number;
}

/**
 * A token-streaming SUT on a virtual clock with no queueing (every stream runs on its own), so
 * each sample's TTFT, TPOT and ITL are exactly what its script says, measured from issue.
 */
export class StreamingSut implements SystemUnderTest {
  readonly name = 'streaming';
  constructor(
    private readonly clock: Clock,
    private readonly script: (sampleId: number, index: number) => StreamScript,
  ) {}

  issueQuery(query: Query, sink: ResponseSink): void {
    const t0 = this.clock.nowNs();
    for (let i = 0; i < query.count; i++) {
      const id = query.firstSampleId + i;
      const s = this.script(id, query.sampleIndices[i]!);
      const perChunk = s.perChunk ?? 1;
      const chunks = Math.ceil(s.tokens / perChunk);
      let sent = 0;
      for (let c = 0; c < chunks; c++) {
        const n = Math.min(perChunk, s.tokens - c * perChunk);
        const at = t0 + s.firstNs + c * s.intervalNs;
        if (s.breakAfter !== undefined && sent + n > s.breakAfter) {
          this.clock.at(at, () => sink.fail(id, new Error('connection: stream broke')));
          break;
        }
        sent += n;
        const last = c === chunks - 1;
        this.clock.at(at, () => {
          sink.tokens(id, n);
          if (last) sink.complete(id, s.reportedTokens === undefined ? {} : { tokens: s.reportedTokens });
        });
      }
    }
  }

  flushQueries(): void {}
}
