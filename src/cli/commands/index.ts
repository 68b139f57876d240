import type { CliCommand } from '../command.js';
import diagnose from './diagnose.js';
import facts from './facts.js';
import interview from './interview.js';
import serve from './serve.js';

/** Every CLI command, listed explicitly: no directory scanning. */
export const commands: readonly CliCommand[] = [diagnose, interview, serve, facts];
