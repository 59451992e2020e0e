import type { Check } from '../../engine/check.js';
import type { CopyInstruction, Dockerfile } from '../model.js';
import { allInstructions, hitAt, shippedStages } from '../queries.js';

const REMOTE = /^(https?:\/\/|git@|git:\/\/|ssh:\/\/)/i;
const ARCHIVE = /\.(tar|tgz|tbz2?|txz|tzst|tar\.(gz|bz2|xz|zst|lz|lzma|Z))$/i;

function* copies(df: Dockerfile, keyword?: 'ADD' | 'COPY'): Generator<CopyInstruction> {
  for (const i of allInstructions(df)) {
    if ((i.keyword === 'ADD' || i.keyword === 'COPY') && (!keyword || i.keyword === keyword)) yield i;
  }
}

export const addInsteadOfCopy: Check<Dockerfile> = {
  id: 'RF-DF-004',
  title: 'ADD used to copy local files',
  severity: 'LOW',
  description:
    'ADD does more than copy: it fetches URLs and unpacks archives. Using it for plain files hides that behaviour from readers and can unpack an archive nobody meant to unpack; COPY says exactly what happens.',
  remediation:
    'Use COPY for local files and directories; keep ADD only to unpack a local tar archive on purpose.',
  references: [
    'https://docs.docker.com/reference/dockerfile/#add',
    'https://www.cisecurity.org/benchmark/docker',
  ],
  frameworks: { 'cis-docker': '4.9' },
  *run(df) {
    for (const i of copies(df, 'ADD')) {
      if (i.from) continue;
      const plain = i.sources.filter((s) => !s.unresolved && !REMOTE.test(s.value) && !ARCHIVE.test(s.value));
      if (plain.length > 0 || i.heredocs.length > 0) {
        const names = plain.map((s) => s.value).concat(i.heredocs.map((h) => `<<${h.delimiter}`));
        yield hitAt(i, `ADD ${names.join(' ')} copies local files`);
      }
    }
  },
};

export const addRemoteUrl: Check<Dockerfile> = {
  id: 'RF-DF-032',
  title: 'ADD fetches a remote URL without a checksum',
  severity: 'MEDIUM',
  description:
    'ADD <url> downloads at build time with no integrity check: whatever the server (or anyone on the way) returns goes into the image, and the result changes whenever the remote file does.',
  remediation:
    'Add `--checksum=sha256:<digest>` to ADD, or download with curl in a RUN and verify with sha256sum; for git sources, pin a commit.',
  references: [
    'https://docs.docker.com/reference/dockerfile/#add---checksum',
    'https://www.cisecurity.org/benchmark/docker',
  ],
  frameworks: { 'cis-docker': '4.9' },
  *run(df) {
    for (const i of copies(df, 'ADD')) {
      if (i.flags.some((f) => f.name === 'checksum')) continue;
      const remote = i.sources.filter((s) => REMOTE.test(s.value));
      if (remote.length > 0) yield hitAt(i, `ADD ${remote.map((s) => s.value).join(' ')} has no --checksum`);
    }
  },
};

const SECRET_FILES: readonly RegExp[] = [
  /(^|\/)id_(rsa|dsa|ecdsa|ed25519)$/,
  /(^|\/)\.(npmrc|pypirc|netrc|git-credentials|pgpass|htpasswd)$/,
  /(^|\/)\.env(\.(?!(example|sample|template|dist|defaults?)$)[\w.-]+)?$/,
  /\.(p12|pfx)$/i,
  /(^|\/)\.(ssh|aws|kube|gnupg)$/,
  /(^|\/)\.aws\/credentials$/,
  /(^|\/)\.docker\/config\.json$/,
  /(^|\/)\.kube\/config$/,
];

export const secretFileCopied: Check<Dockerfile> = {
  id: 'RF-DF-050',
  title: 'Credentials file copied into the image',
  severity: 'HIGH',
  description:
    'COPY/ADD puts a file that normally holds credentials (an SSH private key, .npmrc or .pypirc with a token, .env, ~/.aws, ~/.docker/config.json, a PKCS#12 bundle) into an image layer. Deleting it in a later RUN does not help: the layer keeps it, and anyone who can pull the image can read it.',
  remediation:
    'Pass credentials only for the step that needs them with `RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci` (or an SSH mount), and list such files in .dockerignore.',
  references: [
    'https://docs.docker.com/build/building/secrets/',
    'https://www.cisecurity.org/benchmark/docker',
  ],
  frameworks: { 'cis-docker': '4.10' },
  *run(df) {
    const shipped = new Set(shippedStages(df).map((s) => s.index));
    for (const i of copies(df)) {
      if (!shipped.has(i.stage)) continue;
      for (const s of i.sources) {
        const path = s.value.replace(/\/+$/, '');
        if (!s.unresolved && SECRET_FILES.some((r) => r.test(path)))
          yield hitAt(i, `${i.keyword} ${s.value} into the image`);
      }
    }
  },
};

export const copyDestinationNotDirectory: Check<Dockerfile> = {
  id: 'RF-DF-056',
  title: 'Several sources copied to a destination without a trailing slash',
  severity: 'MEDIUM',
  description:
    'With more than one source, COPY and ADD need a directory destination ending in "/"; BuildKit otherwise rejects the build.',
  remediation: 'End the destination with a slash: `COPY a.txt b.txt /app/`.',
  references: ['https://docs.docker.com/reference/dockerfile/#copy'],
  *run(df) {
    for (const i of copies(df)) {
      const count = i.sources.length + i.heredocs.length;
      if (count > 1 && !i.dest.unresolved && !i.dest.value.endsWith('/')) {
        yield hitAt(i, `${count} sources copied to "${i.dest.value}"`);
      }
    }
  },
};
