/**
 * The load generator's contract with the workload (QuerySampleLibrary) and the system under
 * test (SystemUnderTest), after MLPerf LoadGen's query_sample_library.h / system_under_test.h.
 *
 * Times are integer nanoseconds held in `number` (exact up to 2^53 ns, about 104 days): a
 * bigint per timestamp would allocate on the hot path, which must carry millions of samples/s.
 */

export const SCENARIOS = ['singlestream', 'multistream', 'server', 'offline'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export const TEST_MODES = ['performance', 'accuracy'] as const;
export type TestMode = (typeof TEST_MODES)[number];

/** The workload side: which samples exist and how many fit in memory at once. */
export interface QuerySampleLibrary {
  readonly name: string;
  readonly totalSampleCount: number;
  /** Samples guaranteed to fit in memory at once (LoadGen's performance sample count). */
  readonly performanceSampleCount: number;
  /** Untimed: make these samples ready for the SUT. Indices may repeat. */
  loadSamples(indices: readonly number[]): Promise<void>;
  /** Untimed: release what loadSamples made. */
  unloadSamples(indices: readonly number[]): Promise<void>;
}

/**
 * One query: `count` samples whose response ids are `firstSampleId .. firstSampleId+count-1`
 * (ids are positions in the run's plan, so they are contiguous within a query) and whose
 * dataset indices are `sampleIndices` (a view, not a copy).
 */
export interface Query {
  readonly queryId: number;
  readonly firstSampleId: number;
  readonly count: number;
  readonly sampleIndices: Int32Array;
}

/** What a SUT reports for one sample. `data` is only kept in accuracy mode. */
export interface SampleResponse {
  readonly data?: unknown;
  /** Output tokens (LLM streams): the server's count when it sends one, else what tokens() summed. */
  readonly tokens?: number;
}

/** Completion is separate from issue: any order, any time, never thrown. */
export interface ResponseSink {
  complete(sampleId: number, response?: SampleResponse): void;
  /** Completes the contiguous ids first..first+count-1 at one timestamp (batched responses). */
  completeRange(firstSampleId: number, count: number, responses?: readonly SampleResponse[]): void;
  /** Counted as a failed sample (not SLO-valid), never thrown through the load generator. */
  fail(sampleId: number, error: Error): void;
  /**
   * LLM streams: `count` output tokens of this sample arrived now (the first call is its first
   * token, LoadGen's FirstTokenComplete). Ignored by runs that do not count tokens.
   */
  tokens(sampleId: number, count: number): void;
}

/** The backend side. `issueQuery` must return promptly; it may complete inline. */
export interface SystemUnderTest {
  readonly name: string;
  issueQuery(query: Query, sink: ResponseSink): void;
  /** Called after the last query of a series has been issued. */
  flushQueries(): void;
}

/**
 * Time source and timers. The real clock is late by an event-loop turn at best; that lateness
 * shows up as issue delay and in latency, never hidden. The virtual clock makes tests exact.
 */
export interface Clock {
  nowNs(): number;
  /** Runs `fn` at or after `atNs` (in this clock's time). Returns a handle for `cancel`. */
  at(atNs: number, fn: () => void): number;
  cancel(handle: number): void;
  /** Blocks the calling thread for `durationNs` (a synchronous hiccup, e.g. a GC pause). */
  blockFor(durationNs: number): void;
  /**
   * While `predicate` returns true nothing outside this clock's timers needs the event loop
   * (no response can be pending), so waits may spin without yielding. null: always yield.
   */
  setSyncWaitAllowed(predicate: (() => boolean) | null): void;
}
