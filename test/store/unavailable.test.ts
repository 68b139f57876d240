import { describe, expect, it } from 'vitest';
import { StoreUnavailable } from '../../src/core/errors.js';
import { reaching, unavailability } from '../../src/store/unavailable.js';

const coded = (code: string, message = 'from the driver') => Object.assign(new Error(message), { code });

describe('unavailability: which errors of the database mean it cannot be used for now', () => {
  it.each([
    ['a refused connection', coded('ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.5:5432'), 'connection refused'],
    ['a reset connection', coded('ECONNRESET'), 'connection reset'],
    ['a connection that timed out', coded('ETIMEDOUT'), 'connection timed out'],
    ['an unreachable host', coded('EHOSTUNREACH'), 'host unreachable'],
    ['a host name not found', coded('ENOTFOUND'), 'host name not found'],
    ["pg-pool's connect timeout", new Error('timeout exceeded when trying to connect'), 'no connection within the connect timeout'],
    ['a connection lost', new Error('Connection terminated unexpectedly'), 'connection terminated'],
    ['a connection lost while connecting', new Error('Connection terminated due to connection timeout'), 'connection terminated'],
    ['a connection exception (class 08)', coded('08006'), 'the connection failed (SQLSTATE 08006)'],
    ['a protocol violation (class 08)', coded('08P01'), 'the connection failed (SQLSTATE 08P01)'],
    ['an administrator shutdown', coded('57P01'), 'the database server is shutting down (SQLSTATE 57P01)'],
    ['a crash shutdown', coded('57P02'), 'the database server crashed (SQLSTATE 57P02)'],
    ['a server starting up', coded('57P03'), 'the database server does not accept connections yet (SQLSTATE 57P03)'],
    ['no connection slot left', coded('53300'), 'the database server has too many connections (SQLSTATE 53300)'],
    ['an I/O error (class 58)', coded('58030', 'could not read block 0 in file "base/5/16396": Input/output error'), 'the database cannot read or write its files (SQLSTATE 58030)'],
    ['a file of the cluster gone (class 58)', coded('58P01', 'could not open file "base/5/2620": No such file or directory'), 'the database cannot read or write its files (SQLSTATE 58P01)'],
    ['a full disk', coded('53100', 'could not extend file "base/5/16396_fsm": No space left on device'), 'the database is out of disk space (SQLSTATE 53100)'],
    ['a grant revoked under a running server', coded('42501', 'permission denied for table cases'), 'the database refuses this role the case tables (SQLSTATE 42501)'],
    ['a statement past its statement_timeout (every one of rca\'s has one)', coded('57014', 'canceling statement due to statement timeout'), 'a statement was canceled, past its time limit or by an operator (SQLSTATE 57014)'],
  ])('names %s', (_, error, reason) => {
    expect(unavailability(error)).toBe(reason);
  });

  it.each([
    ['a unique violation', coded('23505')],
    ['a table that does not exist', coded('42P01')],
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a message that only mentions a connection', new Error('Connection refused by the firewall, said the ticket')],
    ['nothing thrown', undefined],
  ])('does not take %s for one', (_, error) => {
    expect(unavailability(error)).toBeUndefined();
  });
});

describe('reaching: the driver edge', () => {
  it('rethrows an unavailable database as a StoreUnavailable naming where, its reason without the address', async () => {
    const refused = coded('ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.5:5432');
    const thrown = await reaching('postgres://rca:***@db:5432/cases', () => Promise.reject(refused)).catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(StoreUnavailable);
    expect(thrown).toMatchObject({ code: 'E_STORE', reason: 'connection refused', message: 'the case database postgres://rca:***@db:5432/cases cannot be used: connection refused (connect ECONNREFUSED 10.0.0.5:5432)', cause: refused });
  });

  it('rethrows any other error as it came, and answers what the work gives', async () => {
    const unique = coded('23505');
    await expect(reaching('here', () => Promise.reject(unique))).rejects.toBe(unique);
    await expect(reaching('here', async () => 7)).resolves.toBe(7);
  });
});
