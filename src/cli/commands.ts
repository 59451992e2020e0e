import type { Command } from 'commander';
import { registerAgent } from './agent.js';
import { registerBench } from './bench.js';
import { registerClean } from './clean.js';
import { registerConfig } from './config.js';
import { registerDb } from './db.js';
import { registerFs } from './fs.js';
import { registerImage } from './image.js';
import { registerRootfs } from './rootfs.js';
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
  registerImage,
  registerFs,
  registerRootfs,
  registerRules,
  registerAgent,
];
