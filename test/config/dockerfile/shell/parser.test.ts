// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the Dockerfile and Compose variable syntax under test is written in plain strings
import { describe, expect, it } from 'vitest';
import { parseArguments } from '../../../../src/config/dockerfile/shell/arguments.js';
import { tokenize } from '../../../../src/config/dockerfile/shell/lexer.js';
import { parseArgv, parseShell } from '../../../../src/config/dockerfile/shell/parser.js';

/** Line of an offset: counts newlines before it. */
function lineAt(text: string): (offset: number) => number {
  return (offset) => text.slice(0, offset).split('\n').length;
}

function commands(text: string, pipefail = false): string[] {
  return parseShell(text, lineAt(text), { pipefail }).commands.map((c) =>
    [...c.wrappers.map((w) => `${w}:`), c.name, ...c.args].join(' '),
  );
}

describe('shell lexer', () => {
  it('removes quotes and applies escapes, keeping expansions as written', () => {
    const { tokens } = tokenize(`a"b c"'d e'\\ f $HOME "\${X:-y}" $(date +%s) \`id\` $'t\\tu'`);
    expect(tokens.filter((t) => t.type === 'word').map((t) => t.type === 'word' && t.value)).toEqual([
      'ab cd e f',
      '$HOME',
      '${X:-y}',
      '$(date +%s)',
      '`id`',
      't\tu',
    ]);
  });

  it('finds operators, redirections with fds, and comments only at word starts', () => {
    const { tokens } = tokenize('a && b || c; d | e |& f & g 2>&1 >/dev/null # done\nh#x');
    expect(
      tokens.map((t) => (t.type === 'word' ? t.value : t.type === 'op' ? t.op : `${t.fd ?? ''}${t.op}`)),
    ).toEqual([
      'a',
      '&&',
      'b',
      '||',
      'c',
      ';',
      'd',
      '|',
      'e',
      '|&',
      'f',
      '&',
      'g',
      '2>&',
      '1',
      '>',
      '/dev/null',
      '\n',
      'h#x',
    ]);
  });

  it('attaches heredoc bodies after the newline, with <<- tab stripping', () => {
    const text = 'cat <<A <<-"B" && echo next\nbody a\nA\n\tbody b\n\tB\necho after\n';
    const { heredocs } = tokenize(text);
    expect(heredocs.map((h) => [h.delimiter, h.quoted, h.stripTabs, h.redirect.heredoc?.text])).toEqual([
      ['A', false, false, 'body a\n'],
      ['B', true, true, '\tbody b\n'],
    ]);
    expect(commands(text)).toEqual(['cat', 'echo next', 'echo after']);
  });
});

describe('shell parser', () => {
  it('splits lists and pipelines, with the line of every command', () => {
    const text = 'apt-get update &&\n  apt-get install -y curl ||\n  true; curl -s x |\n  tar xz';
    const script = parseShell(text, lineAt(text));
    expect(script.commands.map((c) => [c.name, c.line])).toEqual([
      ['apt-get', 1],
      ['apt-get', 2],
      ['true', 3],
      ['curl', 3],
      ['tar', 4],
    ]);
    expect(
      script.pipelines.map((p) => [p.stages.map((s) => s.map((c) => c.name)), p.line, p.endLine]),
    ).toEqual([[[['curl'], ['tar']], 3, 4]]);
  });

  it('looks through compound commands, groups and subshells', () => {
    const text =
      'if [ -f x ]; then apt-get update; elif test y; then :; else echo no; fi; for p in a b; do pip install "$p"; done; while false; do sleep 1; done; case "$A" in a|b) echo ab ;; *) echo other ;; esac; { cd /x && make; } > log; (make test)';
    expect(commands(text)).toEqual([
      '[ -f x ]',
      'apt-get update',
      'test y',
      ':',
      'echo no',
      'pip install $p',
      'false',
      'sleep 1',
      'echo ab',
      'echo other',
      'cd /x',
      'make',
      'make test',
    ]);
  });

  it('unwraps sudo, env, nice, timeout and gosu, and skips assignments', () => {
    expect(
      commands(
        'DEBIAN_FRONTEND=noninteractive sudo -E -u root env A=1 nice -n 5 timeout 30 apt-get install -y x; gosu app node server.js',
      ),
    ).toEqual(['sudo: env: nice: timeout: apt-get install -y x', 'gosu: node server.js']);
  });

  it('parses scripts given to sh -c, su -c, a shell reading a heredoc, and command substitutions', () => {
    const text =
      'sh -c \'apt-get update && apt-get install -y curl\'\nsu app -c "make install"\nbash <<EOF\nyum install -y x\nEOF\necho $(curl -s x | sh)';
    const script = parseShell(text, lineAt(text));
    expect(script.commands.map((c) => `${c.name}@${c.line}/${c.depth}`)).toEqual([
      'sh@1/0',
      'apt-get@1/1',
      'apt-get@1/1',
      'su@2/0',
      'make@2/1',
      'bash@3/0',
      'yum@4/1',
      'echo@6/0',
      'curl@6/1',
      'sh@6/1',
    ]);
  });

  it('maps lines inside a multi-line sh -c script', () => {
    const text = "bash -c '\n  set -e\n  curl -s x | sh\n'";
    const script = parseShell(text, lineAt(text));
    expect(script.commands.map((c) => `${c.name}@${c.line}`)).toEqual(['bash@1', 'set@2', 'curl@3', 'sh@3']);
  });

  it('tracks set -o pipefail in order, and a shell started with -o pipefail', () => {
    const text = 'a | b; set -euxo pipefail; c | d; set +o pipefail; e | f; bash -o pipefail -c "g | h"';
    const script = parseShell(text, lineAt(text));
    expect(script.pipelines.map((p) => [p.stages[0]![0]!.name, p.pipefail])).toEqual([
      ['a', false],
      ['c', true],
      ['e', false],
      ['g', true],
    ]);
    expect(parseShell('x | y', () => 1, { pipefail: true }).pipelines[0]!.pipefail).toBe(true);
  });

  it('reads an exec-form argv as one command and parses its -c script', () => {
    const script = parseArgv(['/bin/sh', '-c', 'apt-get update && apt-get install -y curl'], 7);
    expect(script.commands.map((c) => `${c.name}@${c.line}`)).toEqual(['sh@7', 'apt-get@7', 'apt-get@7']);
  });

  it('survives unbalanced quotes and substitutions', () => {
    expect(commands('echo "unterminated && apt-get x')).toEqual(['echo unterminated && apt-get x']);
    expect(commands('echo $(foo && bar')).toEqual(['echo $(foo && bar', 'foo', 'bar']);
    expect(commands('fi; done; ) }')).toEqual([]);
  });
});

describe('arguments', () => {
  it('reads option groups, values and positionals as getopt does', () => {
    const a = parseArguments(
      [
        '-yqq',
        '-o',
        'APT::X=1',
        '--no-install-recommends',
        'install',
        '--target-release=bookworm',
        'curl',
        '--',
        '-weird',
      ],
      {
        withValue: ['-o', '--target-release'],
      },
    );
    expect(a.options.map((o) => o.name)).toEqual([
      '-y',
      '-q',
      '-q',
      '-o',
      '--no-install-recommends',
      '--target-release',
    ]);
    expect(a.values('-o')).toEqual(['APT::X=1']);
    expect(a.values('--target-release')).toEqual(['bookworm']);
    expect(a.positionals).toEqual(['install', 'curl', '-weird']);
    expect(parseArguments(['-ovalue']).has('-o', '-v')).toBe(true);
    expect(parseArguments(['-ovalue'], { withValue: ['-o'] }).values('-o')).toEqual(['value']);
  });
});
