import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  fromManifest,
  fromPomProperties,
  parseFileName,
} from '../../../../src/inventory/lang/java/identity.js';

const manifest = (entries: Record<string, string>) =>
  new Map(Object.entries(entries).map(([k, v]) => [k.toLowerCase(), v]));

describe('Java archive identity', () => {
  it('splits file names at the last -<digit>', () => {
    expect(parseFileName('commons-lang3-3.12.0.jar')).toEqual({
      artifact: 'commons-lang3',
      version: '3.12.0',
    });
    expect(parseFileName('guava-32.1.2-jre.jar')).toEqual({ artifact: 'guava', version: '32.1.2-jre' });
    expect(parseFileName('log4j-1.2-api-2.17.1.jar')).toEqual({
      artifact: 'log4j-1.2-api',
      version: '2.17.1',
    });
    expect(parseFileName('spring-core-5.3.20.RELEASE.jar')).toEqual({
      artifact: 'spring-core',
      version: '5.3.20.RELEASE',
    });
    expect(parseFileName('app-1.0.0-SNAPSHOT.war')).toEqual({ artifact: 'app', version: '1.0.0-SNAPSHOT' });
    expect(parseFileName('commons-lang3.jar')).toEqual({ artifact: 'commons-lang3' });
    expect(parseFileName('my app.jar')).toBeUndefined();
  });

  it('splits any artifact-version.jar back into its parts, and never throws', () => {
    const artifact = fc
      .array(fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/), { minLength: 1, maxLength: 4 })
      .map((p) => p.join('-'));
    const version = fc
      .tuple(
        fc.array(fc.nat(99), { minLength: 1, maxLength: 4 }),
        fc.constantFrom('', '-SNAPSHOT', '-jre', '.Final', '-rc-beta'),
      )
      .map(([nums, qualifier]) => nums.join('.') + qualifier);
    fc.assert(
      fc.property(artifact, version, fc.constantFrom('jar', 'war', 'ear'), (a, v, ext) => {
        expect(parseFileName(`${a}-${v}.${ext}`)).toEqual({ artifact: a, version: v });
      }),
    );
    fc.assert(
      fc.property(fc.string(), (name) => {
        parseFileName(name);
      }),
    );
  });

  it('takes pom.properties values, falling back to its directory names', () => {
    const props = new Map([
      ['groupId', 'org.apache.commons'],
      ['artifactId', 'commons-lang3'],
      ['version', '3.12.0'],
    ]);
    expect(fromPomProperties(props, 'x', 'y')).toEqual({
      group: 'org.apache.commons',
      artifact: 'commons-lang3',
      version: '3.12.0',
    });
    expect(fromPomProperties(new Map([['version', '1.0']]), 'g.h', 'a')).toEqual({
      group: 'g.h',
      artifact: 'a',
      version: '1.0',
    });
    // biome-ignore lint/suspicious/noTemplateCurlyInString: an unresolved Maven property
    expect(fromPomProperties(new Map([['version', '${project.version}']]), 'g', 'a')).toBeUndefined();
    expect(fromPomProperties(new Map(), 'g', 'a')).toBeUndefined();
  });

  it('falls back to MANIFEST.MF and the file name', () => {
    expect(
      fromManifest(
        manifest({
          'Implementation-Version': '2.1',
          'Implementation-Vendor-Id': 'com.acme',
          'Implementation-Title': 'Acme Tool',
        }),
        'acme-tool.jar',
      ),
    ).toEqual({ group: 'com.acme', artifact: 'acme-tool', version: '2.1' });
    expect(
      fromManifest(
        manifest({
          'Bundle-SymbolicName': 'org.apache.commons.lang3;singleton:=true',
          'Bundle-Version': '3.12.0',
        }),
        'commons-lang3.jar',
      ),
    ).toEqual({ group: 'org.apache.commons', artifact: 'commons-lang3', version: '3.12.0' });
    expect(
      fromManifest(
        manifest({ 'Bundle-SymbolicName': 'org.eclipse.core', 'Bundle-Version': '1.0' }),
        'runtime.jar',
      ),
    ).toEqual({
      group: 'org.eclipse.core',
      artifact: 'runtime',
      version: '1.0',
    });
    expect(fromManifest(new Map(), 'netty-4.1.94.Final.jar')).toEqual({
      group: 'netty',
      artifact: 'netty',
      version: '4.1.94.Final',
    });
    expect(fromManifest(manifest({ 'Implementation-Title': 'x' }), 'lib.jar')).toBeUndefined();
  });
});
