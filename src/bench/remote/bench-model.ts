/** The constant v2 server's one model (constant-server.ts), named by the client bench. */
export const BENCH_MODEL = 'bench';
