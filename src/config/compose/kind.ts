import type { FileKind } from '../engine/check.js';
import { composeChecks } from './checks/index.js';
import type { ComposeFile } from './model.js';
import { parseCompose } from './parse-compose.js';

const NAME = /^(docker-)?compose([.-][\w.-]*)?\.ya?ml$/i;
const YAML = /\.ya?ml$/i;
const TOP_LEVEL_KEY = /^([A-Za-z_][\w.-]*)\s*:/gm;
const COMPOSE_TOP_LEVEL = new Set([
  'version',
  'name',
  'include',
  'services',
  'networks',
  'volumes',
  'secrets',
  'configs',
  'models',
]);

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export const composeKind: FileKind<ComposeFile> = {
  id: 'compose',
  title: 'Docker Compose',
  companions: ['.env'],
  matchesName: (path) => NAME.test(baseName(path)),
  contentCandidate: (path) => YAML.test(path),
  /** A YAML file whose top level has `services:` and nothing Compose would not accept. */
  matchesContent: (text) => {
    const keys = [...text.matchAll(TOP_LEVEL_KEY)].map((m) => m[1]!);
    return keys.includes('services') && keys.every((k) => COMPOSE_TOP_LEVEL.has(k) || k.startsWith('x-'));
  },
  parse: parseCompose,
  checks: composeChecks,
};
