import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dotnetDepsAnalyzer, nugetLockAnalyzer } from '../../../../src/inventory/lang/dotnet/analyzer.js';
import { parseDepsJson, parsePackagesLock } from '../../../../src/inventory/lang/dotnet/parse.js';
import { ids, memoryInput } from '../analyze.js';
import { checkAnalyzer, mutated } from '../fuzz.js';

// No .NET SDK is installable here (Debian ships none), so these samples follow the documented
// formats (dotnet/sdk's deps.json, NuGet's packages.lock.json) rather than a tool's output.
const DEPS_JSON = `\ufeff{
  "runtimeTarget": { "name": ".NETCoreApp,Version=v8.0", "signature": "" },
  "compilationOptions": {},
  "targets": {
    ".NETCoreApp,Version=v8.0": {
      "WebApp/1.0.0": {
        "dependencies": { "Newtonsoft.Json": "13.0.3", "Shared": "1.0.0", "System.Text.Json": "8.0.0" },
        "runtime": { "WebApp.dll": {} }
      },
      "Newtonsoft.Json/13.0.3": {
        "runtime": { "lib/net6.0/Newtonsoft.Json.dll": { "assemblyVersion": "13.0.0.0", "fileVersion": "13.0.3.27908" } }
      },
      "System.Text.Json/8.0.0": { "runtime": { "lib/net8.0/System.Text.Json.dll": {} } },
      "Shared/1.0.0": { "runtime": { "Shared.dll": {} } }
    }
  },
  "libraries": {
    "WebApp/1.0.0": { "type": "project", "serviceable": false, "sha512": "" },
    "Newtonsoft.Json/13.0.3": {
      "type": "package",
      "serviceable": true,
      "sha512": "sha512-HrC5BXdl00IP9zeV+0Z848QWPAoCr9P3bDEZguI+gkLcBKAOxix/tLEAAHC+UvDNPv4a2d18lOReHMOagPa+zQ==",
      "path": "newtonsoft.json/13.0.3",
      "hashPath": "newtonsoft.json.13.0.3.nupkg.sha512"
    },
    "System.Text.Json/8.0.0": { "type": "package", "serviceable": true, "sha512": "sha512-x", "path": "system.text.json/8.0.0" },
    "Shared/1.0.0": { "type": "project", "serviceable": false, "sha512": "" },
    "Microsoft.NETCore.App.Runtime/8.0.0": { "type": "runtimepack", "serviceable": false, "sha512": "" }
  }
}
`;

const PACKAGES_LOCK = `{
  "version": 1,
  "dependencies": {
    "net6.0": {
      "Newtonsoft.Json": { "type": "Direct", "requested": "[13.0.1, )", "resolved": "13.0.1", "contentHash": "ppPFpBcvxdsfUonNcvITKqLl3bqxWbDCZIzDWHzjpdAHRFfZe0Dw9HmA0+za13IdyrgJwpkDTDA9fHaxOrt20A==" },
      "Serilog": { "type": "Direct", "requested": "[3.1.1, )", "resolved": "3.1.1", "contentHash": "x" },
      "System.Memory": { "type": "Transitive", "resolved": "4.5.5", "contentHash": "x" },
      "Shared": { "type": "Project", "dependencies": { "Serilog": "[3.1.1, )" } }
    },
    "net8.0": {
      "Newtonsoft.Json": { "type": "Direct", "requested": "[13.0.1, )", "resolved": "13.0.1", "contentHash": "x" },
      "Microsoft.Extensions.Logging": { "type": "CentralTransitive", "requested": "[8.0.0, )", "resolved": "8.0.0", "contentHash": "x" }
    }
  }
}
`;

const token = fc.stringMatching(/^[A-Za-z][A-Za-z0-9.]{0,15}$/);

describe('.NET dependency files', () => {
  it('reads NuGet packages from deps.json, not the app, its projects or runtime packs', async () => {
    const out = await dotnetDepsAnalyzer.analyze(memoryInput('app/WebApp.deps.json', DEPS_JSON, 'image'));
    expect(ids(out?.packages ?? [])).toEqual(['Newtonsoft.Json@13.0.3', 'System.Text.Json@8.0.0']);
    expect(out?.packages?.[0]).toMatchObject({
      ecosystem: 'nuget',
      analyzer: 'dotnet-deps',
      paths: ['app/WebApp.deps.json'],
    });
    expect(out?.warnings).toBeUndefined();
  });

  it('reads packages.lock.json across target frameworks, once each, without project references', async () => {
    const out = await nugetLockAnalyzer.analyze(
      memoryInput('src/App/packages.lock.json', PACKAGES_LOCK, 'fs'),
    );
    expect(ids(out?.packages ?? [])).toEqual([
      'Microsoft.Extensions.Logging@8.0.0',
      'Newtonsoft.Json@13.0.1',
      'Serilog@3.1.1',
      'System.Memory@4.5.5',
    ]);
  });

  it('wants the right files in the right modes', () => {
    const want = (a: typeof dotnetDepsAnalyzer, path: string, mode: 'image' | 'fs') =>
      a.modes.includes(mode) && a.wants({ path, size: 100, mode: 0o644 }, mode);
    expect(want(dotnetDepsAnalyzer, 'app/Web.deps.json', 'image')).toBe(true);
    expect(want(dotnetDepsAnalyzer, 'app/Web.deps.json', 'fs')).toBe(true);
    expect(want(dotnetDepsAnalyzer, 'app/deps.json.bak', 'image')).toBe(false);
    expect(want(nugetLockAnalyzer, 'packages.lock.json', 'fs')).toBe(true);
    expect(want(nugetLockAnalyzer, 'packages.lock.json', 'image')).toBe(false);
  });

  it('reads back generated deps.json libraries', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.tuple(token, token).map(([n, v]) => `${n}/${v}`),
          fc.constantFrom('package', 'project', 'reference'),
        ),
        (libraries) => {
          const doc = {
            libraries: Object.fromEntries(
              Object.entries(libraries).map(([k, type]) => [k, { type, serviceable: true }]),
            ),
          };
          const want = Object.entries(libraries)
            .filter(([, type]) => type === 'package')
            .map(([k]) => ({
              name: k.slice(0, k.lastIndexOf('/')),
              version: k.slice(k.lastIndexOf('/') + 1),
            }));
          expect(parseDepsJson(JSON.stringify(doc), 'x.deps.json').packages).toEqual(want);
        },
      ),
    );
  });

  it('reads back generated packages.lock.json dependencies', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          token,
          fc.dictionary(
            token,
            fc.record({ type: fc.constantFrom('Direct', 'Transitive', 'Project'), resolved: token }),
          ),
        ),
        (frameworks) => {
          const want = Object.values(frameworks).flatMap((deps) =>
            Object.entries(deps)
              .filter(([, d]) => d.type !== 'Project')
              .map(([name, d]) => ({ name, version: d.resolved })),
          );
          expect(
            parsePackagesLock(JSON.stringify({ version: 1, dependencies: frameworks }), 'p').packages,
          ).toEqual(want);
        },
      ),
    );
  });

  it('survives damaged files', async () => {
    await checkAnalyzer(dotnetDepsAnalyzer, 'app/WebApp.deps.json', mutated(DEPS_JSON));
    await checkAnalyzer(nugetLockAnalyzer, 'packages.lock.json', mutated(PACKAGES_LOCK));
    expect(
      (await dotnetDepsAnalyzer.analyze(memoryInput('a.deps.json', '[1,2]', 'image')))?.warnings,
    ).toEqual(['a.deps.json: no "libraries" object']);
  });
});
