import { splitReference, type WrittenReference } from '../../../image/registry/reference.js';
import type { Check } from '../../engine/check.js';
import type { Dockerfile, FromInstruction } from '../model.js';
import { hitAt } from '../queries.js';

/** `scratch` is no image at all: nothing to tag or pin. */
function isScratch(ref: WrittenReference): boolean {
  return ref.repository === 'scratch' && !ref.registry && !ref.tag && !ref.digest;
}

/** FROM lines naming an image (not an earlier stage, not scratch, not an unresolved variable). */
function* externalImages(df: Dockerfile): Generator<{ from: FromInstruction; ref: WrittenReference }> {
  for (const stage of df.stages) {
    if (stage.baseStage !== undefined || stage.from.image.unresolved) continue;
    const ref = splitReference(stage.from.image.value);
    if (ref && !isScratch(ref)) yield { from: stage.from, ref };
  }
}

const REFERENCES = ['https://docs.docker.com/reference/dockerfile/#from'];

export const baseImageLatest: Check<Dockerfile> = {
  id: 'RF-DF-007',
  title: 'Base image uses the latest tag',
  severity: 'MEDIUM',
  description:
    '`latest` moves: the same Dockerfile builds a different image from one day to the next, a rebuild can silently pull a new major version, and nobody can tell later which base was used.',
  remediation: 'Name a specific version (`FROM node:20.11-bookworm-slim`), and better also its digest.',
  references: REFERENCES,
  *run(df) {
    for (const { from, ref } of externalImages(df)) {
      if (ref.tag === 'latest' && !ref.digest) yield hitAt(from, `${from.image.value} uses the latest tag`);
    }
  },
};

export const baseImageUntagged: Check<Dockerfile> = {
  id: 'RF-DF-008',
  title: 'Base image has no tag',
  severity: 'MEDIUM',
  description:
    'An image named without a tag or digest means `latest`, with the same drift and the same loss of traceability.',
  remediation: 'Name a specific version (`FROM debian:12.5-slim`), and better also its digest.',
  references: REFERENCES,
  *run(df) {
    for (const { from, ref } of externalImages(df)) {
      if (ref.tag === undefined && ref.digest === undefined) {
        yield hitAt(from, `${from.image.value} has no tag, so it means latest`);
      }
    }
  },
};

export const baseImageNotPinned: Check<Dockerfile> = {
  id: 'RF-DF-009',
  title: 'Base image not pinned by digest',
  severity: 'LOW',
  description:
    'Tags are mutable: a registry (or whoever can push to it) can point `python:3.12` at different content at any time. Only a digest names exactly one image, which makes builds reproducible and a swapped base image detectable.',
  remediation:
    'Pin by digest and keep the tag for readers: `FROM python:3.12-slim@sha256:...`; let Renovate or Dependabot update the digest.',
  references: [
    ...REFERENCES,
    'https://docs.docker.com/build/building/best-practices/#pin-base-image-versions',
  ],
  *run(df) {
    for (const { from, ref } of externalImages(df)) {
      if (ref.digest === undefined && ref.tag !== undefined && ref.tag !== 'latest') {
        yield hitAt(from, `${from.image.value} is not pinned by digest`);
      }
    }
  },
};

export const constantPlatform: Check<Dockerfile> = {
  id: 'RF-DF-055',
  title: 'FROM --platform with a fixed value',
  severity: 'LOW',
  description:
    'A hard-coded `--platform` forces one architecture whatever the build asks for: multi-platform builds produce mislabelled images and builds on other machines run under emulation.',
  remediation:
    'Drop the flag, or use the build platform variables: `FROM --platform=$BUILDPLATFORM golang:1.22 AS build`.',
  references: [...REFERENCES, 'https://docs.docker.com/build/building/multi-platform/'],
  *run(df) {
    for (const stage of df.stages) {
      const flag = stage.from.flags.find((f) => f.name === 'platform');
      const written = /--platform=(\S*)/i.exec(stage.from.text)?.[1] ?? '';
      if (flag?.value && !written.includes('$')) yield hitAt(stage.from, `--platform=${flag.value} is fixed`);
    }
  },
};
