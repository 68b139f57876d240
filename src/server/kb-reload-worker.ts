// Entry point of the worker thread that KbHolder.reload starts: it reads, parses and
// validates the knowledge base off the server's event loop and posts back the result.
// Like bin.ts, this module acts when loaded: that is what a worker entry point is for.
import { parentPort, workerData } from 'node:worker_threads';
import { KbError } from '../core/errors.js';
import { loadKnowledgeBase } from '../core/kb.js';
import type { ReloadReply, ReloadRequest } from './kb-holder.js';

const { dirs, options } = workerData as ReloadRequest;
let reply: ReloadReply;
try {
  reply = { kb: loadKnowledgeBase(dirs, options) };
} catch (error) {
  reply = { problems: error instanceof KbError ? error.problems : [{ file: dirs.join(', '), path: '', message: `does not load: ${String(error)}` }] };
}
parentPort?.postMessage(reply);
