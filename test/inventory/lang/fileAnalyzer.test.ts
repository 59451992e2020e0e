import { describe, expect, it } from 'vitest';
import { fileAnalyzer, type TextParser } from '../../../src/inventory/lang/fileAnalyzer.js';
import { inputError } from '../../../src/util/errors.js';
import { memoryInput } from './analyze.js';

const analyzerOf = (parse: TextParser, extra: { maxBytes?: number; prefixOnly?: boolean } = {}) =>
  fileAnalyzer({
    name: 'test-lock',
    version: 1,
    ecosystem: 'npm',
    modes: ['fs'],
    wants: (path) => path.endsWith('.lock'),
    maxBytes: extra.maxBytes ?? 1024,
    prefixOnly: extra.prefixOnly,
    parse,
  });

describe('fileAnalyzer', () => {
  it('asks for files only in its modes', () => {
    const a = analyzerOf(() => ({ packages: [] }));
    expect(a.wants({ path: 'x.lock', size: 1, mode: 0o644 }, 'fs')).toBe(true);
    expect(a.wants({ path: 'x.lock', size: 1, mode: 0o644 }, 'image')).toBe(false);
    expect(a.wants({ path: 'x.json', size: 1, mode: 0o644 }, 'fs')).toBe(false);
  });

  it('skips packages with unusable names or versions, with a warning each, capped', async () => {
    const bad = Array.from({ length: 30 }, (_, i) => ({ name: `bad\n${i}`, version: '1' }));
    const a = analyzerOf(() => ({
      packages: [
        { name: 'ok', version: '1.0', licenses: [' MIT ', 'MIT', ''] },
        { name: ' padded', version: '1' },
        ...bad,
      ],
    }));
    const out = await a.analyze(memoryInput('a.lock', 'x'));
    expect(out?.packages).toEqual([
      {
        name: 'ok',
        version: '1.0',
        ecosystem: 'npm',
        purl: '',
        paths: ['a.lock'],
        analyzer: 'test-lock',
        licenses: ['MIT'],
      },
    ]);
    expect(out?.warnings).toHaveLength(21);
    expect(out?.warnings?.[0]).toBe('skipped a package with an unusable name or version " padded@1"');
    expect(out?.warnings?.[20]).toBe('... and 11 more warnings like these');
  });

  it('turns a UserError or a JSON SyntaxError into one warning without the path (the pipeline adds it), and lets bugs through', async () => {
    const rejected = await analyzerOf((_, path) => {
      throw inputError(path, 'not a lockfile\nsecond line');
    }).analyze(memoryInput('b.lock', 'x'));
    expect(rejected).toEqual({ warnings: ['not a lockfile'] });
    const syntax = await analyzerOf((text) => JSON.parse(text)).analyze(memoryInput('c.lock', 'not\njson'));
    expect(syntax?.warnings).toEqual([`invalid JSON: Unexpected token 'o', "not json" is not valid JSON`]);
    const bug = analyzerOf(() => {
      throw new TypeError('bug');
    });
    await expect(bug.analyze(memoryInput('d.lock', 'x'))).rejects.toThrow('bug');
  });

  it('skips files over the limit, or reads just their start when the format allows', async () => {
    const parse: TextParser = (text) => ({ packages: [{ name: 'n', version: String(text.length) }] });
    const big = memoryInput('e.lock', 'x'.repeat(2000));
    expect((await analyzerOf(parse).analyze(big))?.warnings).toEqual([
      'skipped, 2000 bytes is over the 1024-byte limit',
    ]);
    expect((await analyzerOf(parse, { prefixOnly: true }).analyze(big))?.packages?.[0]?.version).toBe('1024');
  });
});
