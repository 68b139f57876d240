import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TlsOptions } from 'node:tls';
import { generate } from 'selfsigned';

/** Test servers on 127.0.0.1 only, each on a free port, all closed by `closeAll`. */
const open: Array<() => Promise<void>> = [];

function portOf(server: Server | UdpSocket): number {
  return (server.address() as AddressInfo).port;
}

async function listen<T extends Server>(server: T): Promise<{ server: T; port: number }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  open.push(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { server, port: portOf(server) };
}

export async function closeAll(): Promise<void> {
  await Promise.all(open.splice(0).map((close) => close()));
}

/** GET / answers 200, /slow 200 after 300 ms, /down 503. */
export async function startHttpServer(): Promise<number> {
  const server: HttpServer = createHttpServer((request, response) => {
    if (request.url === '/slow') setTimeout(() => response.end('late\n'), 300);
    else if (request.url === '/down') response.writeHead(503).end('down\n');
    else response.end('ok\n');
  });
  return (await listen(server)).port;
}

/** An HTTPS server (plain TLS, answering any request line with a 200) with the given certificate chain. */
export async function startTlsServer(options: TlsOptions): Promise<number> {
  const server = createTlsServer(options, (socket) => {
    socket.once('data', () => socket.end('HTTP/1.1 200 OK\r\ncontent-length: 3\r\nconnection: close\r\n\r\nok\n'));
    socket.on('error', () => undefined);
  });
  server.on('tlsClientError', () => undefined);
  return (await listen(server)).port;
}

/** Accepts TCP connections and never says a word: TLS and HTTP must give up on their own. */
export async function startSilentServer(): Promise<number> {
  return (await listen(createNetServer(() => undefined))).port;
}

/** Answers whatever a client sends with RESPONSE as given, bytes a real HTTP server would never send included, then closes. */
export async function startRawServer(response: string): Promise<number> {
  const server = createNetServer((socket) => {
    socket.on('error', () => undefined);
    socket.once('data', () => socket.end(response));
  });
  return (await listen(server)).port;
}

/** A port nothing listens on (bound, then released). */
/**
 * A port nothing listens on. Picked below the kernel's ephemeral range (32768+), so a server
 * that later listens on port 0 cannot be handed the same number.
 */
export async function closedPort(): Promise<number> {
  for (;;) {
    const port = 20000 + Math.floor(Math.random() * 10000);
    const server = createNetServer();
    const free = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (free) {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      return port;
    }
  }
}

/**
 * A DNS server on UDP that answers by the first label of the name asked: "nx" NXDOMAIN,
 * "fail" SERVFAIL, "refused" REFUSED, "silent" nothing at all, anything else an A record 127.0.0.1.
 */
export async function startDnsServer(): Promise<number> {
  const socket = createSocket('udp4');
  socket.on('message', (query, from) => {
    const labels: string[] = [];
    let at = 12;
    while (query[at] !== undefined && query[at] !== 0) {
      const length = query[at] ?? 0;
      labels.push(query.subarray(at + 1, at + 1 + length).toString());
      at += length + 1;
    }
    const questionEnd = at + 5;
    const rcode = ({ nx: 3, fail: 2, refused: 5 } as Record<string, number>)[labels[0] ?? ''] ?? 0;
    if (labels[0] === 'silent') return;
    const header = Buffer.from(query.subarray(0, 12));
    header[2] = 0x84 | ((query[2] ?? 0) & 0x01); // QR, AA, and RD copied from the query
    header[3] = rcode;
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(rcode === 0 ? 1 : 0, 6);
    header.writeUInt32BE(0, 8);
    const answer = rcode === 0 ? [Buffer.from([0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 127, 0, 0, 1])] : [];
    socket.send(Buffer.concat([header, query.subarray(12, questionEnd), ...answer]), from.port, from.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  open.push(() => new Promise<void>((resolve) => socket.close(() => resolve())));
  return portOf(socket);
}

export interface TestPki {
  root: string;
  intermediate: string;
  /** localhost and 127.0.0.1, issued by the intermediate, 30 days left. */
  leaf: { cert: string; key: string };
  expired: { cert: string; key: string };
  /** Valid from 10 days after `now`. */
  notYetValid: { cert: string; key: string };
  otherName: { cert: string; key: string };
  /** localhost and 127.0.0.1, issued by the root itself with no intermediate (as mkcert and cluster CAs issue), 30 days left. */
  rootSigned: { cert: string; key: string };
  /** localhost and 127.0.0.1, signed by its own key (what curl refuses with exit 60). */
  selfSigned: { cert: string; key: string };
  /** An intermediate of the root that expired 10 days before `now`, and a leaf it issued, 30 days left. */
  expiredIntermediate: { cert: string; leaf: { cert: string; key: string } };
  /** A root that expired 10 days before `now`, its intermediate and their leaf, both valid: the client's trust store to fix. */
  expiredRoot: { root: string; intermediate: string; leaf: { cert: string; key: string } };
}

const DAY_MS = 86_400_000;
const CA_EXTENSIONS = [{ name: 'basicConstraints' as const, cA: true }, { name: 'keyUsage' as const, keyCertSign: true, cRLSign: true, digitalSignature: true }];

function serverExtensions(names: string[]) {
  return [
    { name: 'basicConstraints' as const, cA: false },
    { name: 'extKeyUsage' as const, serverAuth: true },
    { name: 'subjectAltName' as const, altNames: [...names.map((value) => ({ type: 2 as const, value })), { type: 7 as const, ip: '127.0.0.1' }] },
  ];
}

/** A root, an intermediate, and leaves issued by it, valid from `now` as chosen. */
export async function makePki(now = Date.now()): Promise<TestPki> {
  const base = { keyType: 'ec' as const, algorithm: 'sha256' };
  type Pems = Awaited<ReturnType<typeof generate>>;
  const makeRoot = (name: string, notAfter: number) => generate([{ name: 'commonName', value: name }], { ...base, extensions: CA_EXTENSIONS, notBeforeDate: new Date(now - 1000 * DAY_MS), notAfterDate: new Date(notAfter) });
  const makeIntermediate = (name: string, issuer: Pems, notAfter: number) =>
    generate([{ name: 'commonName', value: name }], {
      ...base,
      extensions: CA_EXTENSIONS,
      ca: { key: issuer.private, cert: issuer.cert },
      notBeforeDate: new Date(now - 100 * DAY_MS),
      notAfterDate: new Date(notAfter),
    });
  const root = await makeRoot('rca test root', now + 3650 * DAY_MS);
  const intermediate = await makeIntermediate('rca test intermediate', root, now + 1000 * DAY_MS);
  const issue = async (names: string[], notBefore: number, notAfter: number, issuer: Pems = intermediate) => {
    const pems = await generate([{ name: 'commonName', value: names[0] ?? 'localhost' }], {
      ...base,
      extensions: serverExtensions(names),
      ca: { key: issuer.private, cert: issuer.cert },
      notBeforeDate: new Date(notBefore),
      notAfterDate: new Date(notAfter),
    });
    return { cert: pems.cert, key: pems.private };
  };
  const expiredIntermediate = await makeIntermediate('rca test expired intermediate', root, now - 10 * DAY_MS);
  const expiredRoot = await makeRoot('rca test expired root', now - 10 * DAY_MS);
  const intermediateOfExpiredRoot = await makeIntermediate('rca test intermediate of the expired root', expiredRoot, now + 1000 * DAY_MS);
  return {
    root: root.cert,
    intermediate: intermediate.cert,
    leaf: await issue(['localhost'], now - DAY_MS, now + 30 * DAY_MS),
    expired: await issue(['localhost'], now - 100 * DAY_MS, now - 10 * DAY_MS),
    notYetValid: await issue(['localhost'], now + 10 * DAY_MS, now + 40 * DAY_MS),
    otherName: await issue(['shop.example.com'], now - DAY_MS, now + 30 * DAY_MS),
    rootSigned: await issue(['localhost'], now - DAY_MS, now + 30 * DAY_MS, root),
    expiredIntermediate: { cert: expiredIntermediate.cert, leaf: await issue(['localhost'], now - DAY_MS, now + 30 * DAY_MS, expiredIntermediate) },
    expiredRoot: { root: expiredRoot.cert, intermediate: intermediateOfExpiredRoot.cert, leaf: await issue(['localhost'], now - DAY_MS, now + 30 * DAY_MS, intermediateOfExpiredRoot) },
    selfSigned: await generate([{ name: 'commonName', value: 'localhost' }], { ...base, extensions: serverExtensions(['localhost']), notBeforeDate: new Date(now - DAY_MS), notAfterDate: new Date(now + 30 * DAY_MS) }).then((pems) => ({ cert: pems.cert, key: pems.private })),
  };
}

/** PEM certificates as one chain, leaf first (what a server sends). */
export function chain(...pems: string[]): string {
  return `${pems.map((pem) => pem.trim()).join('\n')}\n`;
}
