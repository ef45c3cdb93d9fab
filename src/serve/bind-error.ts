import { UserError } from '../cli/errors.js';
import { hostPort } from './serve-lines.js';

/** A listen failure as a message that names the flag, the address and what to do. */
export function bindError(flag: '--http-port' | '--grpc-port', host: string, port: number, error: unknown): UserError {
  const code = (error as { code?: unknown }).code;
  const text = error instanceof Error ? error.message : String(error);
  const address = hostPort(host, port);
  if (code === 'EADDRINUSE' || /EADDRINUSE|address already in use/i.test(text)) {
    return new UserError('server', `${flag} ${port}: ${address} is already in use; pick another port with ${flag}, or ${flag} 0 for any free one`);
  }
  if (code === 'EACCES' || /EACCES|permission denied/i.test(text)) {
    return new UserError('server', `${flag} ${port}: not allowed to listen on ${address} (ports below 1024 need privileges); pick a port above 1023`);
  }
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || /EADDRNOTAVAIL|ENOTFOUND/.test(text)) {
    return new UserError('server', `--host ${host}: not an address of this machine (${text}); use 127.0.0.1, or 0.0.0.0 for every interface`);
  }
  return new UserError('server', `${flag} ${port}: could not listen on ${address}: ${text}`);
}
