import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scanSource } from '../../../src/config/engine/scan-source.js';
import { kubernetesKind } from '../../../src/config/kubernetes/kind.js';
import { parseManifests } from '../../../src/config/kubernetes/parse-manifests.js';
import type { PssLevel } from '../../../src/config/kubernetes/pss/control.js';
import { NEWEST_POLICY_MINOR, pssControls } from '../../../src/config/kubernetes/pss/controls/index.js';
import { evaluatePod } from '../../../src/config/kubernetes/pss/evaluate.js';
import { sharedDir } from '../../helpers/components.js';

/**
 * The upstream admission's own fixtures (k8s.io/pod-security-admission test/testdata): at each
 * level and Kubernetes version, every pass Pod must give no finding that the admission would
 * refuse at that level, and every fail Pod at least one, from the control the fixture is named
 * after (or the restricted control that replaces it at that version).
 */

const shared = sharedDir();
const corpus = shared && join(shared, 'corpora/pss');
const LEVELS: PssLevel[] = ['baseline', 'restricted'];

interface PssDetails {
  control: string;
  refusedAt: PssLevel[];
}

function versionsOf(level: PssLevel): number[] {
  return readdirSync(join(corpus!, level))
    .map((d) => Number(/^v1\.(\d+)$/.exec(d)?.[1]))
    .filter((n) => Number.isInteger(n))
    .sort((a, b) => a - b);
}

/** The controls that may legitimately refuse a fixture named after `fixtureControl`. */
function acceptedControls(fixtureControl: string): Set<string> {
  const names = new Set([fixtureControl]);
  for (const c of pssControls)
    if (c.overrides?.some((o) => o.toLowerCase() === fixtureControl)) names.add(c.control.toLowerCase());
  return names;
}

const counts: string[] = [];
let total = 0;

describe.skipIf(!corpus)('Pod Security Standards: the upstream fixture corpus', () => {
  afterAll(() => {
    process.stdout.write(
      `PSS corpus (pass + fail fixtures per level and version):\n${counts.join('\n')}\ntotal: ${total}\n`,
    );
  });

  it('covers every version up to the newest policy change, which is the default', () => {
    for (const level of LEVELS) expect(versionsOf(level).at(-1)).toBe(NEWEST_POLICY_MINOR);
  });

  for (const level of LEVELS) {
    describe(level, () => {
      for (const minor of corpus ? versionsOf(level) : []) {
        it(`v1.${minor}: pass fixtures pass, fail fixtures fail on their control`, () => {
          const n = { pass: 0, fail: 0 };
          for (const outcome of ['pass', 'fail'] as const) {
            const dir = join(corpus!, level, `v1.${minor}`, outcome);
            for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
              const text = readFileSync(join(dir, file), 'utf8');
              const source = {
                path: file,
                text,
                companions: new Map(),
                settings: { 'k8s-version': `v1.${minor}` },
              };
              const scan = scanSource(kubernetesKind, source);
              expect(scan.errors, file).toEqual([]);
              const refusing = scan.findings
                .map((f) => f.details?.pss as PssDetails | undefined)
                .filter((p): p is PssDetails => p?.refusedAt.includes(level) === true)
                .map((p) => p.control.toLowerCase());
              const pod = parseManifests(source).pods[0]!;
              const verdict = evaluatePod(pod, level, minor).map((r) => r.control.control.toLowerCase());
              expect([...new Set(refusing)].sort(), `${file}: findings and the evaluator agree`).toEqual(
                [...new Set(verdict)].sort(),
              );
              if (outcome === 'pass') {
                expect(refusing, `${level}/v1.${minor}/pass/${file}`).toEqual([]);
              } else {
                const named = file.replace(/\d*\.yaml$/, '');
                const accepted = acceptedControls(named);
                expect(
                  refusing.some((c) => accepted.has(c)),
                  `${level}/v1.${minor}/fail/${file} refused by ${refusing.join(', ') || 'nothing'}`,
                ).toBe(true);
              }
              n[outcome]++;
            }
          }
          expect(n.pass + n.fail).toBeGreaterThan(0);
          counts.push(`  ${level} v1.${minor}: ${n.pass} pass, ${n.fail} fail`);
          total += n.pass + n.fail;
        });
      }
    });
  }
});
