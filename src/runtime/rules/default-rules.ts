import { fileURLToPath } from 'node:url';

/**
 * Ringfence's default rules file. It ships as YAML beside the sources and is read from there
 * at run time (from dist/ and from src/ alike), so `npm run build` stays the only build step.
 */
export const DEFAULT_RULES_FILE = fileURLToPath(
  new URL('../../../src/runtime/rules/default/ringfence_rules.yaml', import.meta.url),
);
