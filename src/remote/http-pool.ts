import { Pool } from 'undici';

/**
 * A keep-alive pool of `connections` to `origin`, one request per connection at a time, with
 * undici's header and body timers off: the clients time each request themselves (the whole
 * exchange, or the whole stream), and undici's idle timers would cut long answers short.
 */
export function keepAlivePool(origin: string, connections: number): Pool {
  return new Pool(origin, { connections: Math.max(1, connections), pipelining: 1, headersTimeout: 0, bodyTimeout: 0 });
}
