import type { Check } from '../../engine/check.js';
import type { Dockerfile, Instruction, Stage } from '../model.js';
import { allInstructions, hitAt } from '../queries.js';

/** Every stage reference other than FROM: COPY/ADD --from and RUN --mount from=. */
function* stageReferences(df: Dockerfile): Generator<{ instruction: Instruction; target: string }> {
  for (const i of allInstructions(df)) {
    if ((i.keyword === 'COPY' || i.keyword === 'ADD') && i.from) yield { instruction: i, target: i.from };
    if (i.keyword === 'RUN') {
      for (const m of i.mounts) if (m.options.from) yield { instruction: i, target: m.options.from };
    }
  }
}

function stageNamed(df: Dockerfile, target: string): Stage | undefined {
  if (/^\d+$/.test(target)) return df.stages[Number(target)];
  return df.stages.find((s) => s.name === target.toLowerCase());
}

const REFERENCES = ['https://docs.docker.com/build/building/multi-stage/'];

export const copyFromUnknownStage: Check<Dockerfile> = {
  id: 'RF-DF-043',
  title: '--from names no earlier stage',
  severity: 'MEDIUM',
  description:
    'COPY --from (or RUN --mount from=) names a stage that is defined later in the file, a stage index that does not come before this one, or a bare name that is no stage at all. BuildKit then pulls an image of that name from Docker Hub instead: a typo turns into copying files out of an image somebody else controls.',
  remediation:
    'Refer to a stage defined above (`COPY --from=build ...`), or give the image a full reference with a tag (`COPY --from=nginx:1.27 ...`).',
  references: REFERENCES,
  *run(df) {
    for (const { instruction, target } of stageReferences(df)) {
      const stage = stageNamed(df, target);
      if (stage) {
        if (stage.index > instruction.stage) {
          yield hitAt(instruction, `--from=${target} refers to stage ${stage.index}, defined after this one`);
        }
      } else if (/^\d+$/.test(target)) {
        yield hitAt(instruction, `--from=${target}: there is no stage ${target}`);
      } else if (!/[/:@.]/.test(target)) {
        yield hitAt(
          instruction,
          `--from=${target} is not a stage name; it would pull the image "${target}:latest"`,
        );
      }
    }
  },
};

export const copyFromOwnStage: Check<Dockerfile> = {
  id: 'RF-DF-044',
  title: '--from names its own stage',
  severity: 'MEDIUM',
  description: 'A stage cannot copy from itself: BuildKit rejects the build with a circular dependency.',
  remediation: 'Copy from the stage that produced the files, or use a plain COPY/RUN within the stage.',
  references: REFERENCES,
  *run(df) {
    for (const { instruction, target } of stageReferences(df)) {
      if (stageNamed(df, target)?.index === instruction.stage) {
        yield hitAt(instruction, `--from=${target} is the stage this instruction is in`);
      }
    }
  },
};

export const duplicateStageName: Check<Dockerfile> = {
  id: 'RF-DF-045',
  title: 'Duplicate stage name',
  severity: 'MEDIUM',
  description: 'Two stages share a name (names compare case-insensitively); BuildKit rejects the file.',
  remediation: 'Give every stage a unique name.',
  references: REFERENCES,
  *run(df) {
    const seen = new Map<string, Stage>();
    for (const stage of df.stages) {
      if (stage.name === undefined) continue;
      const first = seen.get(stage.name);
      if (first) yield hitAt(stage.from, `stage name "${stage.name}" is already used at line ${first.line}`);
      else seen.set(stage.name, stage);
    }
  },
};
