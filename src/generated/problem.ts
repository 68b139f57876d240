/* Generated from schemas/problem.schema.json by scripts/gen-types.mjs. Do not edit. */

/**
 * An error answer of the HTTP API (RFC 9457 problem details, application/problem+json). `type` is https://rca.local/problems/<slug>, one per error code (src/core/errors.ts).
 */
export interface Problem {
  /**
   * The stable problem type; clients may switch on it.
   */
  type: string;
  /**
   * The problem type in words, the same for every problem of the type.
   */
  title: string;
  /**
   * The HTTP status.
   */
  status: number;
  /**
   * What went wrong with this request.
   */
  detail: string;
  /**
   * The request path, without the query string. A request refused before its headers were all read (headers that stopped coming, even after the request line: 408; headers too large: 431; not HTTP: 400) has no path, as the server reads the path with the headers: then `urn:uuid:` and its requestId, naming the occurrence (RFC 9457 3.1.5).
   */
  instance: string;
  /**
   * The request id (X-Request-Id), as in the logs.
   */
  requestId: string;
  /**
   * For validation problems: each thing wrong, located in the body, the query string or a header.
   */
  errors?: (PointerError | ParameterError | HeaderError)[];
}
/**
 * One thing wrong in a request body, located by a JSON pointer.
 *
 * This interface was referenced by `Problem`'s JSON-Schema
 * via the `definition` "pointerError".
 */
export interface PointerError {
  /**
   * Where in the body.
   */
  pointer: string;
  expected: string;
  got: string;
}
/**
 * One thing wrong in a query string, located by the parameter's name.
 *
 * This interface was referenced by `Problem`'s JSON-Schema
 * via the `definition` "parameterError".
 */
export interface ParameterError {
  /**
   * Which query parameter.
   */
  parameter: string;
  expected: string;
  got: string;
}
/**
 * One thing wrong in a request header, located by the header's name: Host, Idempotency-Key or If-Match on a 400, Accept on a 406, Expect on a 417.
 *
 * This interface was referenced by `Problem`'s JSON-Schema
 * via the `definition` "headerError".
 */
export interface HeaderError {
  /**
   * Which header, as HTTP names it (Accept).
   */
  header: string;
  expected: string;
  got: string;
}
