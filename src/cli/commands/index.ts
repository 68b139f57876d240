import type { CliCommand } from '../command.js';
import collect from './collect.js';
import diagnose from './diagnose.js';
import facts from './facts.js';
import interview from './interview.js';
import kb from './kb.js';
import parse from './parse.js';
import serve from './serve.js';

/** Every CLI command, listed explicitly: no directory scanning. */
export const commands: readonly CliCommand[] = [diagnose, interview, serve, kb, facts, parse, collect];
