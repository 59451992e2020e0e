import type { FileKind } from '../engine/check.js';
import { dockerfileChecks } from './checks/index.js';
import type { Dockerfile } from './model.js';
import { parseDockerfile } from './parser/parse-dockerfile.js';

const NAME = /^(dockerfile|containerfile)(\..+)?$|\.(dockerfile|containerfile)$/i;
const NOT_A_DOCKERFILE = /\.(dockerignore|md|txt|rst|orig|rej|bak|swp)$/i;
const FIRST_INSTRUCTION = /^(FROM|ARG)\s/i;

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export const dockerfileKind: FileKind<Dockerfile> = {
  id: 'dockerfile',
  title: 'Dockerfile',
  matchesName: (path) => {
    const name = baseName(path);
    return NAME.test(name) && !NOT_A_DOCKERFILE.test(name);
  },
  matchesContent: (text) => {
    const first = text.split('\n').find((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
    return first !== undefined && FIRST_INSTRUCTION.test(first.trimStart());
  },
  parse: (source) => parseDockerfile(source.text),
  checks: dockerfileChecks,
};
