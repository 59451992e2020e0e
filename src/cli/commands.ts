import type { Command } from 'commander';
import { registerBench } from './bench.js';
import { registerClean } from './clean.js';
import { registerConfig } from './config.js';
import { registerDb } from './db.js';
import { registerRules } from './rules.js';
import { registerSbom } from './sbom.js';
import { registerVersion } from './version.js';

/** Every CLI command registers itself here; each lives in its own file in src/cli/. */
export const commands: ((program: Command) => void)[] = [
  registerVersion,
  registerBench,
  registerSbom,
  registerClean,
  registerConfig,
  registerDb,
  registerRules,
];
