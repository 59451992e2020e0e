// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the Dockerfile and Compose variable syntax under test is written in plain strings
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dockerfileKind } from '../../../src/config/dockerfile/kind.js';
import { parseDockerfile } from '../../../src/config/dockerfile/parser/parse-dockerfile.js';
import { parseShell } from '../../../src/config/dockerfile/shell/parser.js';
import { ConfigParseError } from '../../../src/config/engine/check.js';
import { scanSource } from '../../../src/config/engine/scan-source.js';

/** Pieces Dockerfiles are made of, including the awkward ones, to combine at random. */
const piece = fc.oneof(
  fc.constantFrom(
    'FROM alpine:3.19',
    'FROM ${BASE:-node}:latest AS build',
    'ARG BASE=debian',
    'RUN apt-get update && apt-get install -y curl | tee log',
    'RUN <<EOF',
    'RUN <<-"EOF" bash',
    'EOF',
    '\tEOF',
    'COPY --from=build <<A <<B /x/',
    'A',
    'B',
    'RUN echo a \\',
    'RUN echo "unterminated \\',
    "RUN sh -c 'curl x | sh' ; set -o pipefail",
    'CMD ["a", "b"]',
    'CMD [broken',
    'ENV A=1 B="two" \\',
    'ENV LEGACY value here',
    'HEALTHCHECK NONE',
    'HEALTHCHECK CMD',
    'ONBUILD RUN x',
    'SHELL ["/bin/bash", "-c"]',
    '# escape=`',
    '# comment',
    '',
    '    ',
    '`',
    'USER ${UID:-0}:0',
    'EXPOSE 22 99999 80/udp',
    'WORKDIR ${X:+${Y:-z}}',
    'LABEL a=${',
    'ADD http://x/y.tgz /',
    'RUN $(echo `id` $(( 1 + 2 ))',
    'RUN case x in a) b ;; esac; if then fi',
    'RUN toString constructor && __proto__ hasOwnProperty | valueOf',
    'ENV constructor=1 __proto__=2 toString=3',
    'RUN --mount=__proto__=x,from=constructor true',
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
);

const dockerfileText = fc.array(piece, { maxLength: 30 }).map((ls) => ls.join('\n'));

describe('Dockerfile parser properties', () => {
  it('either parses or throws a ConfigParseError with a line inside the file, for any text', () => {
    fc.assert(
      fc.property(dockerfileText, (text) => {
        try {
          const df = parseDockerfile(text);
          const total = text.split('\n').length;
          for (const i of df.instructions) {
            expect(i.line).toBeGreaterThanOrEqual(1);
            expect(i.endLine).toBeGreaterThanOrEqual(i.line);
            expect(i.endLine).toBeLessThanOrEqual(total);
          }
        } catch (err) {
          expect(err).toBeInstanceOf(ConfigParseError);
          const line = (err as ConfigParseError).line;
          if (line !== undefined) expect(line).toBeGreaterThanOrEqual(1);
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('scanning never throws: a file that does not parse is exactly one error entry and no findings', () => {
    fc.assert(
      fc.property(dockerfileText, (text) => {
        const result = scanSource(dockerfileKind, { path: 'Dockerfile', text, companions: new Map() });
        expect(result.errors.filter((e) => e.ruleId !== undefined)).toEqual([]);
        if (result.errors.length > 0) {
          expect(result.errors).toHaveLength(1);
          expect(result.findings).toEqual([]);
        }
        const total = text.split(/\r?\n/).length;
        for (const f of result.findings) {
          expect(f.location.line).toBeGreaterThanOrEqual(1);
          expect(f.location.endLine).toBeLessThanOrEqual(total);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('keeps instruction lines exact for generated valid files', () => {
    const instruction = fc.constantFrom(
      ['RUN echo one'],
      ['RUN echo a \\', '  && echo b'],
      ['RUN <<EOF', 'echo in heredoc', 'EOF'],
      ['COPY a /a'],
      ['ENV A=1 \\', '# comment inside', '    B=2'],
      ['USER app'],
    );
    const gap = fc.constantFrom([], [''], ['# comment']);
    const file = fc.array(fc.tuple(gap, instruction), { maxLength: 15 });
    fc.assert(
      fc.property(file, (parts) => {
        const out: string[] = ['FROM alpine:3.19'];
        const expected: [number, number][] = [[1, 1]];
        for (const [before, lines] of parts) {
          out.push(...before);
          expected.push([out.length + 1, out.length + lines.length]);
          out.push(...lines);
        }
        const df = parseDockerfile(out.join('\n'));
        expect(df.instructions.map((i) => [i.line, i.endLine])).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });
});

describe('shell parser properties', () => {
  const shellish = fc
    .array(
      fc.oneof(
        fc.constantFrom(
          '&&',
          '||',
          ';',
          '|',
          '&',
          '(',
          ')',
          '{',
          '}',
          '\n',
          '<<EOF',
          'EOF',
          "'",
          '"',
          '`',
          '$(',
          '${',
          '\\',
          '#',
          'if',
          'then',
          'fi',
          'case',
          'esac',
          ';;',
          'sh -c',
          'sudo',
          'set -o pipefail',
        ),
        fc.string({ maxLength: 8 }),
      ),
      { maxLength: 40 },
    )
    .map((parts) => parts.join(' '));

  it('treats words that name Object.prototype members as plain commands', () => {
    const text = 'toString a | constructor b && __proto__ c; hasOwnProperty d';
    const names = parseShell(text, () => 1).commands.map((c) => c.name);
    expect(names).toEqual(['toString', 'constructor', '__proto__', 'hasOwnProperty']);
  });

  it('never throws, and every command line lies within the text', () => {
    fc.assert(
      fc.property(shellish, (text) => {
        const total = text.split('\n').length;
        const script = parseShell(text, (o) => text.slice(0, o).split('\n').length);
        for (const c of script.commands) {
          expect(c.line).toBeGreaterThanOrEqual(1);
          expect(c.endLine).toBeLessThanOrEqual(total);
          expect(c.endLine).toBeGreaterThanOrEqual(c.line);
        }
        for (const p of script.pipelines) expect(p.stages.length).toBeGreaterThanOrEqual(2);
      }),
      { numRuns: 2000 },
    );
  });
});
