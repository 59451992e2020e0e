import fc from 'fast-check';
import { describe, it } from 'vitest';
import {
  pipfileLockAnalyzer,
  pipRequirementsAnalyzer,
  poetryLockAnalyzer,
  pythonPackageAnalyzer,
  uvLockAnalyzer,
} from '../../../../src/inventory/lang/python/analyzers.js';
import { checkAnalyzer, mutated } from '../fuzz.js';

const METADATA = `Metadata-Version: 2.1
Name: PyYAML
Version: 6.0
License: MIT
Classifier: License :: OSI Approved :: MIT License
Requires-Python: >=3.6

YAML parser and emitter
`;
const REQUIREMENTS = `requests[socks]==2.31.0 ; python_version >= "3.7"  # pinned
urllib3==2.0.7 \\
    --hash=sha256:aaaa
-r requirements-base.txt
flask>=2
`;
const POETRY = `[[package]]
name = "pytest"
version = "7.4.0"
category = "dev"
groups = ["dev"]

[package.source]
type = "git"
url = "https://github.com/x/y.git"

[metadata]
lock-version = "2.1"
`;
const PIPFILE = `{"_meta":{"pipfile-spec":6},"default":{"requests":{"version":"==2.31.0"}},"develop":{"pytest":{"version":"==7.4.0"}}}`;
const UV = `version = 1

[[package]]
name = "app"
version = "0.1.0"
source = { editable = "." }
dependencies = [{ name = "httpx", extra = ["socks"] }]

[package.dev-dependencies]
dev = [{ name = "pytest" }]

[[package]]
name = "httpx"
version = "0.27.0"
source = { registry = "https://pypi.org/simple" }

[package.optional-dependencies]
socks = [{ name = "socksio" }]

[[package]]
name = "pytest"
version = "8.2.0"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "httpx", version = "0.27.0" }]
`;

const anyText = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.json());

describe('Python analyzers never crash on damaged input', () => {
  it('core metadata', () =>
    checkAnalyzer(pythonPackageAnalyzer, 'x-1.dist-info/METADATA', fc.oneof(anyText, mutated(METADATA))));
  it('requirements.txt', () =>
    checkAnalyzer(pipRequirementsAnalyzer, 'requirements.txt', fc.oneof(anyText, mutated(REQUIREMENTS))));
  it('poetry.lock', () =>
    checkAnalyzer(poetryLockAnalyzer, 'poetry.lock', fc.oneof(anyText, mutated(POETRY))));
  it('Pipfile.lock', () =>
    checkAnalyzer(pipfileLockAnalyzer, 'Pipfile.lock', fc.oneof(anyText, mutated(PIPFILE))));
  it('uv.lock', () => checkAnalyzer(uvLockAnalyzer, 'uv.lock', fc.oneof(anyText, mutated(UV))));
});
