import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

/** PostgreSQL's binaries: Debian keeps them in /usr/lib/postgresql/<major>/bin, off PATH. */
function binDir(): string {
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a)) : [];
  if (majors[0]) return join(root, majors[0], 'bin');
  throw new Error("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): scripts/test.sh installs Debian's postgresql package; or run apt-get install postgresql");
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** postgres refuses to run as root: as root, the cluster belongs to the `postgres` user (Debian's package makes it), else `nobody`. */
async function clusterUser(): Promise<{ name: string; uid: number; gid: number } | undefined> {
  if (userInfo().uid !== 0) return undefined;
  for (const name of ['postgres', 'nobody']) {
    try {
      const { stdout } = await run('getent', ['passwd', name]);
      const [, , uid, gid] = stdout.trim().split(':');
      return { name, uid: Number(uid), gid: Number(gid) };
    } catch {
      // not on this machine; try the next
    }
  }
  throw new Error('running as root, and neither a postgres nor a nobody user exists to run PostgreSQL as');
}

export interface PostgresCluster {
  /** A new, empty database on the cluster: its URL. */
  createDatabase(): Promise<string>;
  /** The server's process id (the postmaster's, first line of postmaster.pid), for a bench to read its CPU time. */
  pid(): number;
  stop(): Promise<void>;
}

/**
 * A throwaway PostgreSQL cluster on 127.0.0.1 at a free port, in a temporary directory (initdb,
 * pg_ctl), trusting local connections. Throws, saying why, when it cannot start: the tests
 * that use it then fail, never skip.
 */
export async function startPostgres(): Promise<PostgresCluster> {
  const bin = binDir();
  const user = await clusterUser();
  const dir = mkdtempSync(join(tmpdir(), 'rca-pg-'));
  if (user) chownSync(dir, user.uid, user.gid);
  const as = (command: string, args: string[]) => (user ? run('runuser', ['-u', user.name, '--', join(bin, command), ...args]) : run(join(bin, command), args));
  const data = join(dir, 'data');
  const port = await freePort();
  try {
    await as('initdb', ['-D', data, '-U', 'rca', '--auth=trust', '-E', 'UTF8', '--no-sync']);
    await as('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-t', '30', '-o', `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories= -c fsync=off -c max_connections=100`, 'start']);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`PostgreSQL did not start: ${(error as { stderr?: string }).stderr ?? String(error)}`, { cause: error });
  }
  const base = `postgres://rca@127.0.0.1:${port}`;
  let databases = 0;
  return {
    pid: () => Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]),
    async createDatabase() {
      const name = `rca_test_${++databases}`;
      const admin = new pg.Client({ connectionString: `${base}/postgres` });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${name}`);
      } finally {
        await admin.end();
      }
      return `${base}/${name}`;
    },
    async stop() {
      await as('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
