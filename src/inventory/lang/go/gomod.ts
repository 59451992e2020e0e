import { unquoteGo } from './modinfo.js';
import { type GoPackage, isLocalPath, replaced } from './packages.js';

/**
 * go.mod, as the go command reads it: directives one per line or factored into blocks
 * (`require ( ... )`), tokens bare or "quoted", `//` comments (`// indirect` marks a
 * requirement the main module does not import itself). Only what inventory needs is kept:
 * module, go, requirements and replacements; other directives are skipped.
 */

interface GoModRequirement {
  path: string;
  version: string;
  indirect: boolean;
}

interface GoModTarget {
  path: string;
  version?: string;
}

interface GoModReplacement {
  old: GoModTarget;
  new: GoModTarget;
}

interface GoModFile {
  module?: string;
  go?: string;
  requires: GoModRequirement[];
  replaces: GoModReplacement[];
  /** "line N: problem" for lines that could not be read; the rest of the file still counts. */
  problems: string[];
}

interface Line {
  tokens: string[];
  comment: string;
  number: number;
}

export function parseGoMod(text: string): GoModFile {
  const mod: GoModFile = { requires: [], replaces: [], problems: [] };
  let block: string | undefined;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = tokenize(lines[i] as string, i + 1);
    if (typeof line === 'string') {
      mod.problems.push(`line ${i + 1}: ${line}`);
      continue;
    }
    const { tokens } = line;
    if (tokens.length === 0) continue;
    if (block !== undefined) {
      if (tokens.length === 1 && tokens[0] === ')') block = undefined;
      else directive(mod, block, tokens, line);
      continue;
    }
    const [verb, ...args] = tokens as [string, ...string[]];
    if (args.length === 1 && args[0] === '(') block = verb;
    else if (args.length === 2 && args[0] === '(' && args[1] === ')') continue;
    else directive(mod, verb, args, line);
  }
  if (block !== undefined) mod.problems.push(`${block} block is not closed`);
  return mod;
}

function directive(mod: GoModFile, verb: string, args: string[], line: Line): void {
  const problem = (p: string) => mod.problems.push(`line ${line.number}: ${p}`);
  switch (verb) {
    case 'module':
      if (args.length === 1) mod.module = args[0];
      else problem('module wants one path');
      return;
    case 'go':
      if (args.length === 1) mod.go = args[0];
      else problem('go wants one version');
      return;
    case 'require': {
      const [path, version] = args;
      if (args.length !== 2 || !path || !version) return void problem('require wants a path and a version');
      mod.requires.push({ path, version, indirect: /^indirect(;|$)/.test(line.comment) });
      return;
    }
    case 'replace': {
      const arrow = args.indexOf('=>');
      const left = args.slice(0, arrow);
      const right = args.slice(arrow + 1);
      if (arrow < 1 || left.length > 2 || right.length < 1 || right.length > 2)
        return void problem('replace wants "path [version] => path [version]"');
      if (right.length === 1 && !isLocalPath(right[0] as string))
        return void problem('a replacement module needs a version');
      mod.replaces.push({ old: target(left), new: target(right) });
      return;
    }
    default:
      // exclude, retract, toolchain, godebug, tool, ignore: nothing to inventory.
      return;
  }
}

function target([path, version]: string[]): GoModTarget {
  return version ? { path: path as string, version } : { path: path as string };
}

/** Tokens of one line and its comment; a string describes why the line cannot be read. */
function tokenize(text: string, number: number): Line | string {
  const tokens: string[] = [];
  let comment = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
    } else if (text.startsWith('//', i)) {
      comment = text.slice(i + 2).trim();
      break;
    } else if (c === '"') {
      const end = closingQuote(text, i);
      const value = end < 0 ? undefined : unquoteGo(text.slice(i, end + 1));
      if (value === undefined) return 'unterminated or invalid quoted string';
      tokens.push(value);
      i = end + 1;
    } else if (c === '(' || c === ')') {
      tokens.push(c);
      i++;
    } else {
      const start = i;
      while (i < text.length && !/[\s()"]/.test(text[i] as string) && !text.startsWith('//', i)) i++;
      const token = text.slice(start, i);
      if (/['`]/.test(token)) return 'unquoted string cannot contain a quote';
      tokens.push(token);
    }
  }
  return { tokens, comment, number };
}

function closingQuote(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return -1;
}

/** Requirements with replacements applied: a version-specific replacement wins over a path-wide one. */
export function goModPackages(mod: GoModFile): (GoPackage & { indirect: boolean })[] {
  return mod.requires.map((req) => {
    const r =
      mod.replaces.find((x) => x.old.path === req.path && x.old.version === req.version) ??
      mod.replaces.find((x) => x.old.path === req.path && x.old.version === undefined);
    const replace = r && { path: r.new.path, version: r.new.version ?? '' };
    return { ...replaced({ path: req.path, version: req.version, replace }), indirect: req.indirect };
  });
}
