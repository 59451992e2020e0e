// Binary and archive analyzers from dist/: Go build info read from the Go programs Debian ships
// on this machine, against reading those files whole (what a scanner that loads binaries
// would do); Java: a war of 300 deflated library jars with a Spring Boot-style stored fat jar
// inside, against `unzip -p` of the outer archive (inflating every nested jar once, the least
// a reader that opens nested archives must do). Same run, same machine.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { goBinaryAnalyzer } from '../dist/inventory/lang/go/analyzer.js';
import { javaArchiveAnalyzer } from '../dist/inventory/lang/java/analyzer.js';
import { fileSource } from '../dist/util/zip.js';
import { bestOf } from './lib/measure.mjs';

const ROUNDS = 5;
const best = (fn) => bestOf(ROUNDS, fn);

async function input(path) {
  const source = await fileSource(path);
  return {
    close: () => source.close(),
    value: {
      path: path.slice(1),
      size: source.size,
      mode: 0o755,
      scanMode: 'image',
      content: { size: source.size, read: () => source.readAt(0, source.size), readAt: source.readAt },
    },
  };
}

async function analyzeAll(analyzer, paths) {
  let packages = 0;
  for (const p of paths) {
    const i = await input(p);
    try {
      packages += (await analyzer.analyze(i.value))?.packages?.length ?? 0;
    } finally {
      await i.close();
    }
  }
  return packages;
}

const goBinaries = [
  '/usr/sbin/dockerd',
  '/usr/bin/containerd',
  '/usr/bin/docker',
  '/usr/bin/skopeo',
  '/usr/sbin/runc',
].filter(existsSync);
const goBytes = goBinaries.reduce((n, p) => n + statSync(p).size, 0);
const goPackages = await analyzeAll(goBinaryAnalyzer, goBinaries);
const tGo = await best(() => analyzeAll(goBinaryAnalyzer, goBinaries));
const tGoFloor = await best(async () => {
  for (const p of goBinaries) readFileSync(p);
});
console.log(
  `go binaries: ${goBinaries.length} files, ${(goBytes / 2 ** 20).toFixed(0)} MiB, ${goPackages} packages; ${tGo.toFixed(1)} ms vs reading them whole ${tGoFloor.toFixed(1)} ms = ${(tGo / tGoFloor).toFixed(3)}x`,
);

const dir = mkdtempSync(join(tmpdir(), 'rf-bench-java-'));
try {
  const war = join(dir, 'big.war');
  execFileSync('python3', [
    '-c',
    `import zipfile, io, random, sys
random.seed(2)
def jar(group, artifact, version, classes, method):
  b = io.BytesIO()
  with zipfile.ZipFile(b, "w", method) as z:
    z.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\\r\\n\\r\\n")
    z.writestr(f"META-INF/maven/{group}/{artifact}/pom.properties", f"groupId={group}\\nartifactId={artifact}\\nversion={version}\\n")
    for c in range(classes):
      z.writestr(f"{group.replace('.', '/')}/C{c}.class", bytes(random.getrandbits(8) for _ in range(random.randint(500, 3000))))
  return b.getvalue()
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as w:
  w.writestr("META-INF/maven/org.acme/shop/pom.properties", "groupId=org.acme\\nartifactId=shop\\nversion=1.0\\n")
  for i in range(300):
    w.writestr(f"WEB-INF/lib/lib{i}-1.{i}.jar", jar(f"org.lib{i}", f"lib{i}", f"1.{i}", 40, zipfile.ZIP_DEFLATED))
  boot = io.BytesIO()
  with zipfile.ZipFile(boot, "w", zipfile.ZIP_STORED) as b:
    for i in range(50):
      b.writestr(f"BOOT-INF/lib/boot{i}-2.{i}.jar", jar(f"org.boot{i}", f"boot{i}", f"2.{i}", 40, zipfile.ZIP_DEFLATED))
  w.writestr(zipfile.ZipInfo("WEB-INF/lib/boot-app-3.0.jar"), boot.getvalue())`,
    war,
  ]);
  const javaPackages = await analyzeAll(javaArchiveAnalyzer, [war]);
  const tJava = await best(() => analyzeAll(javaArchiveAnalyzer, [war]));
  const tJavaFloor = await best(async () => execFileSync('sh', ['-c', `unzip -p "${war}" > /dev/null`]));
  console.log(
    `java war: ${(statSync(war).size / 2 ** 20).toFixed(1)} MiB, 351 nested archives, ${javaPackages} packages; ${tJava.toFixed(0)} ms vs unzip -p ${tJavaFloor.toFixed(0)} ms = ${(tJava / tJavaFloor).toFixed(2)}x`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
