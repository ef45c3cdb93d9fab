/**
 * A request or response that breaks the v2 protocol (malformed JSON or protobuf, wrong shape or
 * datatype, unknown model). The server answers it with a 4xx / INVALID_ARGUMENT; a client
 * counts it as a malformed response.
 */
export class ProtocolError extends Error {
  /** HTTP status the server answers with. */
  readonly status: number;
  constructor(message: string, status = 400) {
    super(message);
    this.name = 'ProtocolError';
    this.status = status;
  }
}
