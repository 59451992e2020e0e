import { describe, expect, it } from 'vitest';
import { pythonPackageAnalyzer } from '../../../../src/inventory/lang/python/analyzers.js';
import { parseCoreMetadata } from '../../../../src/inventory/lang/python/coreMetadata.js';
import { isInstalledMetadata } from '../../../../src/inventory/lang/python/paths.js';
import { memoryInput } from '../analyze.js';

const one = (source: string) => parseCoreMetadata(source, 'METADATA').packages[0]!;

describe('Python core metadata', () => {
  it('reads Name, Version and License-Expression first (PEP 639)', () => {
    expect(
      one(
        'Metadata-Version: 2.4\nName: attrs\nVersion: 24.2.0\nLicense-Expression: MIT\nLicense: BSD\nClassifier: License :: OSI Approved :: Apache Software License\n',
      ),
    ).toEqual({ name: 'attrs', version: '24.2.0', licenses: ['MIT'] });
  });

  it('uses a one-line License field, else the License classifiers', () => {
    expect(one('Name: a\nVersion: 1\nLicense: Apache 2.0\n').licenses).toEqual(['Apache 2.0']);
    expect(
      one(
        'Name: a\nVersion: 1\nLicense: UNKNOWN\nClassifier: License :: OSI Approved\nClassifier: License :: OSI Approved :: MIT License\nClassifier: License :: Public Domain\nClassifier: Programming Language :: Python\n',
      ).licenses,
    ).toEqual(['MIT License', 'Public Domain']);
    const fullText =
      'Name: a\nVersion: 1\nLicense: Copyright (c) 2010 Someone\n        \n        Permission is hereby granted, free of charge\nClassifier: License :: OSI Approved :: BSD License\n';
    expect(one(fullText).licenses).toEqual(['BSD License']);
  });

  it('keeps names as written, stops at the body and joins continuation lines', () => {
    const pkg = one(
      'Metadata-Version: 2.1\r\nName: Foo_Bar.baz\r\nVersion: 1.0.post1\r\nSummary: x\r\n\r\nName: not-a-header\r\nVersion: 9\r\n',
    );
    expect(pkg).toEqual({ name: 'Foo_Bar.baz', version: '1.0.post1', licenses: [] });
  });

  it('rejects metadata without Name or Version, as a warning', async () => {
    expect(() => parseCoreMetadata('Name: a\n', 'x/METADATA')).toThrow(
      'x/METADATA: core metadata without Name and Version',
    );
    const path = 'usr/lib/python3/dist-packages/a-1.dist-info/METADATA';
    const out = await pythonPackageAnalyzer.analyze(memoryInput(path, 'garbage\n', 'image'));
    expect(out?.warnings).toEqual(['core metadata without Name and Version']);
  });

  it('reads only the start of a huge file: the headers', async () => {
    const huge = `Name: big\nVersion: 2.0\n\n${'description '.repeat(200_000)}`;
    const out = await pythonPackageAnalyzer.analyze(
      memoryInput('a/big-2.0.dist-info/METADATA', huge, 'image'),
    );
    expect(out?.packages?.map((p) => `${p.name}@${p.version}`)).toEqual(['big@2.0']);
  });

  it.each([
    ['usr/lib/python3/dist-packages/PyYAML-6.0.dist-info/METADATA', true],
    ['usr/lib/python3/dist-packages/six-1.16.0.egg-info/PKG-INFO', true],
    ['usr/lib/python3/dist-packages/crit-3.17.1-py3.11.egg-info', true],
    ['usr/lib/python3.11/site-packages/x-1.0-py3.11.egg/EGG-INFO/PKG-INFO', true],
    ['app/src/PKG-INFO', false],
    ['app/x.dist-info/RECORD', false],
    ['app/METADATA', false],
    ['.egg-info', false],
  ])('%s → %s', (path, wanted) => expect(isInstalledMetadata(path)).toBe(wanted));
});
