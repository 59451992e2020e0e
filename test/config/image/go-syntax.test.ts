import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { goQuotedList } from '../../../src/config/image/go-syntax.js';

describe('goQuotedList', () => {
  it("reads fmt's %q of a []string, with Go's escapes", () => {
    expect(goQuotedList('["/bin/app" "--flag=\\"q\\""]')).toEqual(['/bin/app', '--flag="q"']);
    expect(goQuotedList('&{["CMD-SHELL" "a\\tb\\n"] "30s" \'\\x00\'}')).toEqual(['CMD-SHELL', 'a\tb\n']);
    expect(goQuotedList('["\\x00\\a\\v\\\\" "\\u00e9\\U0001F600\\101"]')).toEqual(['\x00\x07\v\\', 'é😀A']);
    expect(goQuotedList('[]')).toEqual([]);
  });

  it('gives undefined for anything else', () => {
    for (const text of ['CMD bash', '[/bin/bash -c]', '["unterminated', '["a" b]', '["a"']) {
      expect(goQuotedList(text), text).toBeUndefined();
    }
  });

  it('reads back printable strings quoted as Go quotes them (JSON quotes printable ASCII the same way)', () => {
    const printable = fc.string({
      unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
    });
    fc.assert(
      fc.property(fc.array(printable, { maxLength: 6 }), (argv) => {
        expect(goQuotedList(`[${argv.map((a) => JSON.stringify(a)).join(' ')}]`)).toEqual(argv);
      }),
    );
  });

  it('never throws on any text', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const out = goQuotedList(text);
        expect(out === undefined || Array.isArray(out)).toBe(true);
      }),
    );
  });
});
