import { UserError } from '../cli/errors.js';

export interface HttpEndpoint {
  /** scheme://host:port, what the connection pool connects to. */
  readonly origin: string;
  /** A path prefix the server lives under ('' or '/prefix', no trailing slash), e.g. behind an ingress. */
  readonly basePath: string;
  /** The URL as results show it. */
  readonly display: string;
}

export interface GrpcEndpoint {
  /** host:port, as grpc-js takes it. */
  readonly address: string;
  readonly display: string;
}

/** Triton's default gRPC port, used when the address names none. */
export const DEFAULT_GRPC_PORT = 8001;

const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

export function parseHttpUrl(url: string): HttpEndpoint {
  const parsed = HAS_SCHEME.test(url) ? parse(url, url) : null;
  if (parsed === null || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    const hint = parsed?.protocol === 'grpc:' ? ' (for gRPC use --backend kserve-grpc)' : '';
    throw new UserError('flag', `--url ${withoutCredentials(url)}: kserve-http needs an http:// or https:// URL, e.g. http://127.0.0.1:8000${hint}`);
  }
  rejectCredentials(parsed, url);
  if (parsed.search !== '' || parsed.hash !== '') throw new UserError('flag', `--url ${withoutCredentials(url)}: a query string or fragment has no meaning here; give the server's base URL`);
  const basePath = parsed.pathname.replace(/\/+$/, '');
  return { origin: parsed.origin, basePath, display: `${parsed.origin}${basePath}` };
}

export function parseGrpcUrl(url: string): GrpcEndpoint {
  const withScheme = HAS_SCHEME.test(url) ? url : `grpc://${url}`;
  const parsed = parse(withScheme, url);
  if (parsed.protocol !== 'grpc:') {
    const hint = parsed.protocol === 'http:' || parsed.protocol === 'https:' ? ' (for HTTP use --backend kserve-http)' : '';
    const tls = parsed.protocol === 'grpcs:' ? ' (TLS is not supported yet)' : '';
    throw new UserError('flag', `--url ${withoutCredentials(url)}: kserve-grpc needs host:port or grpc://host:port, e.g. 127.0.0.1:8001${hint}${tls}`);
  }
  rejectCredentials(parsed, url);
  if ((parsed.pathname !== '' && parsed.pathname !== '/') || parsed.search !== '' || parsed.hash !== '') {
    throw new UserError('flag', `--url ${withoutCredentials(url)}: a gRPC address is host:port, without a path`);
  }
  const address = `${parsed.hostname}:${parsed.port === '' ? DEFAULT_GRPC_PORT : parsed.port}`;
  return { address, display: address };
}

function parse(url: string, asGiven: string): URL {
  try {
    const parsed = new URL(url);
    if (parsed.hostname === '') throw new Error('no host');
    return parsed;
  } catch {
    throw new UserError('flag', `--url ${withoutCredentials(asGiven)}: not a valid URL`);
  }
}

/** Credentials in a URL end up in shell history and in results: they belong in the auth file. */
function rejectCredentials(parsed: URL, asGiven: string): void {
  if (parsed.username !== '' || parsed.password !== '') {
    throw new UserError('flag', `--url ${withoutCredentials(asGiven)}: credentials do not go in the URL; put an "Authorization: ..." line in $MLBENCH_AUTH_HEADER or --auth-file`);
  }
}

function withoutCredentials(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//<credentials>@');
}
