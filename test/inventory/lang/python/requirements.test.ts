import { describe, expect, it } from 'vitest';
import { isRequirements } from '../../../../src/inventory/lang/python/paths.js';
import { parseRequirements } from '../../../../src/inventory/lang/python/requirements.js';

const parse = (source: string) => parseRequirements(source);

describe('requirements.txt', () => {
  it('lists exact pins with extras, markers, hashes, comments and continuations', () => {
    const result = parse(`# comment
requests[socks,security]==2.31.0 ; python_version >= "3.7"  # pinned
Django == 4.2.7
zope.interface===6.1
urllib3==2.0.7 \\
    --hash=sha256:aaaa \\
    --hash=sha256:bbbb
old-style (==1.0)
pkg==1.0 --config-settings=x=y
  indented_name==0.1
idna>=3.4,==3.4
`);
    expect(result.packages.map((p) => `${p.name}@${p.version}`)).toEqual([
      'requests@2.31.0',
      'Django@4.2.7',
      'zope.interface@6.1',
      'urllib3@2.0.7',
      'old-style@1.0',
      'pkg@1.0',
      'indented_name@0.1',
      'idna@3.4',
    ]);
    expect(result.warnings).toEqual([]);
  });

  it('counts unpinned requirements in one warning and leaves URLs, paths and editables out', () => {
    const result = parse(`flask>=2
numpy
pandas==2.*
-e git+https://github.com/x/y.git#egg=y
-e .
./local/pkg
https://example.com/pkg-1.0.tar.gz
pkg @ https://example.com/pkg-1.0-py3-none-any.whl
wheelfile-1.0-py3-none-any.whl
-i https://pypi.example.com/simple
--extra-index-url https://x
a1==1;b2==2
c#not-a-comment==1
`);
    expect(result.packages.map((p) => `${p.name}@${p.version}`)).toEqual(['a1@1']);
    expect(result.warnings).toEqual([
      '4 requirement(s) without an exact == version not listed: flask, numpy, pandas, c',
    ]);
  });

  it('notes includes that will not be scanned on their own', () => {
    const result = parse(
      '-r requirements-base.txt\n--requirement=common/deps.txt\n-r requirements/dev.txt\n-c constraints.txt\n',
    );
    expect(result.warnings).toEqual([
      'line 2: includes common/deps.txt, which is not scanned (not named like a requirements file)',
    ]);
  });

  it.each([
    ['requirements.txt', true],
    ['app/requirements-dev.txt', true],
    ['dev-requirements.txt', true],
    ['requirements/base.txt', true],
    ['requirements.in', false],
    ['usr/lib/python3/site-packages/x/requirements.txt', false],
    ['docs/notes.txt', false],
  ])('%s → %s', (path, wanted) => expect(isRequirements(path)).toBe(wanted));
});
