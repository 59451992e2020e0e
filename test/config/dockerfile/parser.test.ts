// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the Dockerfile and Compose variable syntax under test is written in plain strings
import { describe, expect, it } from 'vitest';
import type { Instruction } from '../../../src/config/dockerfile/model.js';
import { parseDockerfile } from '../../../src/config/dockerfile/parser/parse-dockerfile.js';
import { ConfigParseError } from '../../../src/config/engine/check.js';

const lines = (...l: string[]): string => `${l.join('\n')}\n`;

function only<K extends Instruction['keyword']>(text: string, keyword: K): (Instruction & { keyword: K })[] {
  return parseDockerfile(text).instructions.filter(
    (i): i is Instruction & { keyword: K } => i.keyword === keyword,
  );
}

function parseError(text: string): ConfigParseError {
  try {
    parseDockerfile(text);
  } catch (err) {
    if (err instanceof ConfigParseError) return err;
    throw err;
  }
  throw new Error('parsed without error');
}

describe('parser directives', () => {
  it('reads syntax, escape and check at the top, case-insensitively and with spaces', () => {
    const df = parseDockerfile(
      lines(
        '# syntax=docker/dockerfile:1.7',
        '#  ESCAPE = `',
        '# check=skip=JSONArgsRecommended',
        'FROM x:1',
      ),
    );
    expect(df.directives).toEqual([
      { name: 'syntax', value: 'docker/dockerfile:1.7', line: 1 },
      { name: 'escape', value: '`', line: 2 },
      { name: 'check', value: 'skip=JSONArgsRecommended', line: 3 },
    ]);
    expect(df.escape).toBe('`');
  });

  it('stops at the first line that is not a directive', () => {
    expect(parseDockerfile(lines('# a comment', '# escape=`', 'FROM x:1')).escape).toBe('\\');
    expect(parseDockerfile(lines('', '# escape=`', 'FROM x:1')).escape).toBe('\\');
    expect(parseDockerfile(lines('# unknown=1', '# escape=`', 'FROM x:1')).escape).toBe('\\');
    expect(parseDockerfile(lines('FROM x:1', '# escape=`')).escape).toBe('\\');
  });

  it('rejects a repeated directive and a bad escape token', () => {
    expect(parseError(lines('# escape=`', '# escape=\\', 'FROM x:1'))).toMatchObject({ line: 2 });
    expect(parseError(lines('# escape=x', 'FROM x:1')).message).toContain('invalid escape token');
  });
});

describe('line continuations', () => {
  it('joins lines ending in the escape character, dropping comments and blank lines inside', () => {
    const [run] = only(
      lines('FROM x:1', 'RUN echo a \\', '# a comment', '', '    && echo b \\  ', '    && echo c'),
      'RUN',
    );
    expect(run).toMatchObject({
      line: 2,
      endLine: 6,
      form: 'shell',
      command: 'echo a     && echo b     && echo c',
    });
    expect(run!.script!.commands.map((c) => [c.name, c.line])).toEqual([
      ['echo', 2],
      ['echo', 5],
      ['echo', 6],
    ]);
  });

  it('uses the backtick under # escape=` and leaves backslashes alone', () => {
    const df = parseDockerfile(
      lines(
        '# escape=`',
        'FROM mcr.microsoft.com/windows/servercore:ltsc2022',
        'WORKDIR C:\\app `',
        '  \\sub',
      ),
    );
    const [w] = df.instructions.filter((i) => i.keyword === 'WORKDIR');
    expect(w).toMatchObject({ line: 3, endLine: 4 });
    expect(w?.keyword === 'WORKDIR' && w.path.value).toBe('C:\\app   \\sub');
  });

  it('ends an instruction whose continuation runs into the end of the file', () => {
    const [run] = only(lines('FROM x:1', 'RUN echo a \\'), 'RUN');
    expect(run).toMatchObject({ line: 2, endLine: 2, command: 'echo a' });
  });
});

describe('heredocs', () => {
  it('runs a RUN heredoc as a script, with line numbers inside it', () => {
    const [run] = only(
      lines('FROM x:1', 'RUN <<EOF', 'apt-get update', 'apt-get install -y curl', 'EOF', 'USER app'),
      'RUN',
    );
    expect(run).toMatchObject({ line: 2, endLine: 5 });
    expect(run!.heredocs[0]).toMatchObject({ delimiter: 'EOF', quoted: false, stripTabs: false, endLine: 5 });
    expect(run!.script!.commands.map((c) => [c.name, c.args[0], c.line])).toEqual([
      ['apt-get', 'update', 3],
      ['apt-get', 'install', 4],
    ]);
  });

  it('strips tabs for <<-, honours quoted delimiters and reads several heredocs in order', () => {
    const text = lines(
      'FROM x:1',
      'RUN <<-"ONE" cat > /a && <<TWO bash',
      '\thello $X',
      '\tONE',
      'echo from two | tee /b',
      'TWO',
      'USER app',
    );
    const [run] = only(text, 'RUN');
    expect(run).toMatchObject({ line: 2, endLine: 6 });
    expect(
      run!.heredocs.map((h) => [h.delimiter, h.quoted, h.stripTabs, h.lines.map((l) => l.text), h.endLine]),
    ).toEqual([
      ['ONE', true, true, ['hello $X'], 4],
      ['TWO', false, false, ['echo from two | tee /b'], 6],
    ]);
    const names = run!.script!.commands.map((c) => `${c.name}@${c.line}`);
    expect(names).toEqual(['cat@2', 'bash@2', 'echo@5', 'tee@5']);
    expect(only(text, 'USER')[0]!.line).toBe(7);
  });

  it('does not run a heredoc with a non-shell #! line as shell', () => {
    const [run] = only(
      lines('FROM x:1', 'RUN <<EOF', '#!/usr/bin/env python3', 'import os; os.system("sudo x")', 'EOF'),
      'RUN',
    );
    expect(run!.script).toBeUndefined();
    const [sh] = only(lines('FROM x:1', 'RUN <<EOF', '#!/bin/bash', 'sudo x', 'EOF'), 'RUN');
    expect(sh!.script!.commands.map((c) => c.wrappers)).toEqual([['sudo']]);
  });

  it('keeps COPY heredocs as inline files', () => {
    const [copy] = only(
      lines('FROM x:1', 'COPY --chmod=755 <<EOF /usr/local/bin/run', '#!/bin/sh', 'exec app', 'EOF'),
      'COPY',
    );
    expect(copy).toMatchObject({
      line: 2,
      endLine: 5,
      chmod: '755',
      sources: [],
      dest: { value: '/usr/local/bin/run' },
    });
    expect(copy!.heredocs[0]!.lines.map((l) => l.line)).toEqual([3, 4]);
  });

  it('ignores << inside quotes, here-strings and the exec form', () => {
    expect(only(lines('FROM x:1', 'RUN echo "<<EOF"', 'USER app'), 'USER')[0]!.line).toBe(3);
    expect(only(lines('FROM x:1', 'RUN cat <<<"x"', 'USER app'), 'USER')[0]!.line).toBe(3);
    expect(only(lines('FROM x:1', 'RUN ["cat", "<<EOF"]', 'USER app'), 'USER')[0]!.line).toBe(3);
  });

  it('reports an unterminated heredoc', () => {
    expect(parseError(lines('FROM x:1', 'RUN <<EOF', 'echo'))).toMatchObject({
      line: 2,
      message: 'unterminated heredoc <<EOF',
    });
  });
});

describe('instructions', () => {
  it('tells exec form from shell form', () => {
    const [a, b, c] = only(
      lines('FROM x:1', 'CMD ["node", "a.js"]', 'CMD node a.js', 'CMD [not json'),
      'CMD',
    );
    expect(a).toMatchObject({ form: 'exec', argv: ['node', 'a.js'] });
    expect(b).toMatchObject({ form: 'shell', command: 'node a.js' });
    expect(c).toMatchObject({ form: 'shell', command: '[not json' });
  });

  it('reads flags, mounts and HEALTHCHECK', () => {
    const df = parseDockerfile(
      lines(
        'FROM --platform=$BUILDPLATFORM golang:1.22 AS build',
        'RUN --mount=type=cache,target=/root/.cache/go-build --network=none go build ./...',
        'HEALTHCHECK --interval=5s CMD ["/hc"]',
      ),
    );
    const [from, run, hc] = df.instructions;
    expect(from).toMatchObject({
      keyword: 'FROM',
      platform: '',
      alias: 'build',
      image: { value: 'golang:1.22' },
    });
    expect(run).toMatchObject({
      keyword: 'RUN',
      mounts: [{ type: 'cache', options: { type: 'cache', target: '/root/.cache/go-build' } }],
      command: 'go build ./...',
    });
    expect(run!.flags.map((f) => f.name)).toEqual(['mount', 'network']);
    expect(hc).toMatchObject({ keyword: 'HEALTHCHECK', none: false, form: 'exec', argv: ['/hc'] });
  });

  it('reads ENV and LABEL pairs with quotes, and the legacy form', () => {
    const [modern, legacy] = only(
      lines('FROM x:1', 'ENV A=1 B="two words" C=\'$A\' D=a\\ b', 'ENV E hello  world'),
      'ENV',
    );
    expect(modern!.pairs.map((p) => [p.key, p.value.value])).toEqual([
      ['A', '1'],
      ['B', 'two words'],
      ['C', '$A'],
      ['D', 'a b'],
    ]);
    expect(modern!.legacy).toBe(false);
    expect(legacy).toMatchObject({ legacy: true, pairs: [{ key: 'E', value: { value: 'hello  world' } }] });
  });

  it('parses ONBUILD triggers as instructions', () => {
    const [onbuild] = only(lines('FROM x:1', 'ONBUILD RUN sudo make'), 'ONBUILD');
    expect(onbuild!.trigger).toMatchObject({ keyword: 'RUN', line: 2, command: 'sudo make' });
  });

  it('rejects what BuildKit rejects, naming the line', () => {
    expect(parseError(lines('FROM x:1', 'FOO bar'))).toMatchObject({
      line: 2,
      message: 'unknown instruction: FOO',
    });
    expect(parseError(lines('RUN echo', 'FROM x:1')).line).toBe(1);
    expect(parseError(lines('# only a comment')).message).toBe('the file has no instructions');
    expect(parseError(lines('ARG A=1')).message).toBe('no FROM instruction');
    expect(parseError(lines('FROM a b')).message).toContain('one or three arguments');
    expect(parseError(lines('FROM x:1', 'SHELL /bin/bash -c')).message).toContain('JSON');
    expect(parseError(lines('FROM x:1', 'COPY onlyone')).message).toContain('source and a destination');
    expect(parseError(lines('FROM x:1', 'ENV A=1 B')).message).toContain('name=value');
    expect(parseError(lines('FROM x:1', 'ONBUILD FROM y')).message).toContain('cannot trigger FROM');
    expect(parseError(lines('FROM x:1', 'WORKDIR')).message).toContain('requires at least one argument');
  });
});

describe('stages and variables', () => {
  it('expands global ARGs in FROM only, and in a stage only once re-declared', () => {
    const df = parseDockerfile(
      lines(
        'ARG BASE=alpine TAG=3.19',
        'FROM ${BASE}:${TAG} AS one',
        'WORKDIR /$TAG',
        'ARG TAG',
        'WORKDIR /$TAG',
        'ARG TAG=override',
        'WORKDIR /$TAG',
      ),
    );
    expect(df.stages[0]!.from.image).toEqual({ value: 'alpine:3.19', unresolved: false });
    const dirs = df.instructions
      .filter((i) => i.keyword === 'WORKDIR')
      .map((i) => i.keyword === 'WORKDIR' && i.path);
    expect(dirs).toEqual([
      { value: '/', unresolved: true },
      { value: '/3.19', unresolved: false },
      { value: '/override', unresolved: false },
    ]);
  });

  it('supports the ${VAR:-default} family of operators', () => {
    const df = parseDockerfile(
      lines(
        'FROM x:1',
        'ARG EMPTY=',
        'ENV SET=v',
        'LABEL a=${SET:-d} b=${UNSET:-d} c=${EMPTY:-d} d=${EMPTY-d} e=${SET:+alt} f=${UNSET:+alt} g=${UNSET:-${SET}} h=\\$SET',
      ),
    );
    const label = df.instructions.find((i) => i.keyword === 'LABEL');
    const values =
      label?.keyword === 'LABEL' ? Object.fromEntries(label.pairs.map((p) => [p.key, p.value.value])) : {};
    expect(values).toEqual({ a: 'v', b: 'd', c: 'd', d: '', e: 'alt', f: '', g: 'v', h: '$SET' });
  });

  it('lets ENV win over ARG, evaluates an ENV line against the values before it, and inherits ENV into stages built on a stage', () => {
    const df = parseDockerfile(
      lines(
        'FROM x:1 AS base',
        'ARG V=arg',
        'ENV V=env',
        'ENV A=1 B=$A',
        'WORKDIR /$V',
        'FROM base',
        'WORKDIR /$V/$A',
        'FROM x:1',
        'WORKDIR /$V',
      ),
    );
    const env = df.instructions.filter((i) => i.keyword === 'ENV')[1];
    expect(env?.keyword === 'ENV' && env.pairs[1]!.value).toEqual({ value: '', unresolved: true });
    const dirs = df.instructions
      .filter((i) => i.keyword === 'WORKDIR')
      .map((i) => i.keyword === 'WORKDIR' && i.path.value);
    expect(dirs).toEqual(['/env', '/env/1', '/']);
    expect(df.stages.map((s) => [s.index, s.name, s.baseStage, s.line, s.endLine])).toEqual([
      [0, 'base', undefined, 1, 5],
      [1, undefined, 0, 6, 7],
      [2, undefined, undefined, 8, 9],
    ]);
  });

  it('tracks SHELL for later RUNs, and stops shell parsing under a non-POSIX shell', () => {
    const [a, b] = only(
      lines(
        'FROM x:1',
        'SHELL ["/bin/bash", "-eo", "pipefail", "-c"]',
        'RUN a | b',
        'SHELL ["pwsh", "-c"]',
        'RUN Get-Item x | y',
      ),
      'RUN',
    );
    expect(a!.shell).toEqual(['/bin/bash', '-eo', 'pipefail', '-c']);
    expect(a!.script!.pipelines[0]!.pipefail).toBe(true);
    expect(b!.script).toBeUndefined();
  });
});
