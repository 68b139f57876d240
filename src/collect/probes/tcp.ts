import { connect as netConnect, type Socket } from 'node:net';
import { elapsedMs, errorCode, exchange, found, skip, type ProbeOutcome } from './outcome.js';

/** Opens a TCP connection; injectable so the timeout path can be tested without a black hole. */
export type SocketFactory = (options: { host: string; port: number }) => Socket;

const defaultFactory: SocketFactory = (options) => netConnect(options);

// connect() errors that tcp.connect names; others (EHOSTUNREACH, ENETUNREACH) are reported as skipped.
const RESULT_BY_CODE: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'refused',
  ECONNRESET: 'reset',
  ETIMEDOUT: 'timeout',
};

/** One TCP connect to address:port, closed as soon as it is established. */
export function probeTcp(address: string, port: number, timeoutMs: number, factory: SocketFactory = defaultFactory): Promise<ProbeOutcome> {
  const startedAt = performance.now();
  return exchange(
    timeoutMs,
    () => found({ 'tcp.connect': 'timeout' }),
    (finish) => {
      const socket = factory({ host: address, port });
      socket.once('connect', () => finish(found({ 'tcp.connect': 'ok', 'tcp.connect_ms': elapsedMs(startedAt) })));
      socket.once('error', (error) => {
        const code = errorCode(error);
        const result = RESULT_BY_CODE[code];
        finish(result ? found({ 'tcp.connect': result }) : skip('tcp', `connect to ${address}:${port} failed with ${code}, which no tcp.connect value describes`));
      });
      return socket;
    },
  );
}
