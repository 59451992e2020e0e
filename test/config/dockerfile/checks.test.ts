// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the Dockerfile and Compose variable syntax under test is written in plain strings
import { describe, expect, it } from 'vitest';
import { dockerfileChecks } from '../../../src/config/dockerfile/checks/index.js';
import { dockerfileKind } from '../../../src/config/dockerfile/kind.js';
import { scanSource } from '../../../src/config/engine/scan-source.js';

/** [Dockerfile, expected [line, endLine] of each finding of the rule]. */
type Bad = [string, [number, number][]];
interface Case {
  bad: Bad[];
  good: string[];
}

const lines = (...l: string[]): string => `${l.join('\n')}\n`;

const CASES: Record<string, Case> = {
  'RF-DF-001': {
    bad: [
      [lines('FROM alpine:3.19', 'RUN adduser -D app'), [[1, 1]]],
      [lines('FROM alpine:3.19', 'USER app', 'RUN id', 'USER root'), [[4, 4]]],
      [lines('ARG UID=0', 'FROM alpine:3.19', 'ARG UID', 'USER ${UID}:0'), [[4, 4]]],
      [lines('FROM alpine:3.19 AS base', 'USER app', 'FROM alpine:3.19', 'CMD ["x"]'), [[3, 3]]],
    ],
    good: [
      lines('FROM alpine:3.19', 'USER 10001'),
      lines('FROM alpine:3.19 AS base', 'USER app', 'FROM base', 'CMD ["x"]'),
      lines('FROM gcr.io/distroless/static-debian12:nonroot'),
      lines('FROM alpine:3.19', 'USER root', 'RUN apk add --no-cache curl', 'USER app'),
    ],
  },
  'RF-DF-002': {
    bad: [
      [lines('FROM alpine:3.19', 'CMD ["x"]'), [[1, 1]]],
      [lines('FROM alpine:3.19', 'HEALTHCHECK NONE'), [[2, 2]]],
    ],
    good: [
      lines('FROM alpine:3.19', 'HEALTHCHECK --interval=30s CMD ["/hc"]'),
      lines('FROM alpine:3.19 AS base', 'HEALTHCHECK CMD /hc', 'FROM base'),
    ],
  },
  'RF-DF-003': {
    bad: [
      [lines('FROM debian:12', 'RUN apt-get update', 'RUN apt-get install -y curl'), [[2, 2]]],
      [lines('FROM alpine:3.19', 'RUN apk update'), [[2, 2]]],
    ],
    good: [
      lines('FROM debian:12', 'RUN apt-get update && apt-get install -y curl'),
      lines('FROM debian:12', 'RUN apt-get update \\', '  && apt-get upgrade -y'),
    ],
  },
  'RF-DF-004': {
    bad: [
      [lines('FROM alpine:3.19', 'ADD app.js /app/'), [[2, 2]]],
      [lines('FROM alpine:3.19', 'ADD <<EOF /app/run.sh', 'echo hi', 'EOF'), [[2, 4]]],
    ],
    good: [lines('FROM alpine:3.19', 'ADD rootfs.tar.gz /'), lines('FROM alpine:3.19', 'COPY app.js /app/')],
  },
  'RF-DF-005': {
    bad: [
      [lines('FROM alpine:3.19', 'ENV DB_PASSWORD=hunter2'), [[2, 2]]],
      [lines('FROM alpine:3.19', 'ARG TOKEN', 'ENV GITHUB_TOKEN=$TOKEN \\', '    MODE=prod'), [[3, 4]]],
      [lines('FROM alpine:3.19', 'ENV DATABASE_URL=postgres://app:s3cret@db/app'), [[2, 2]]],
    ],
    good: [
      lines(
        'FROM alpine:3.19',
        'ENV DB_PASSWORD_FILE=/run/secrets/db GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D',
      ),
      lines('FROM alpine:3.19', 'ENV API_KEY="" DB_PASSWORD=/run/secrets/db AUTH_TOKEN_REQUIRED=true'),
    ],
  },
  'RF-DF-006': {
    bad: [
      [lines('ARG NPM_TOKEN', 'FROM node:20'), [[1, 1]]],
      [lines('FROM node:20', 'ARG VERSION=1 AWS_SECRET_ACCESS_KEY'), [[2, 2]]],
    ],
    good: [lines('FROM node:20', 'ARG VERSION=1.0 TOKEN_URL=https://auth.example.com')],
  },
  'RF-DF-007': {
    bad: [
      [lines('FROM node:latest'), [[1, 1]]],
      [lines('ARG BASE=python:latest', 'FROM ${BASE} AS build'), [[2, 2]]],
    ],
    good: [
      lines('FROM node:20'),
      lines('FROM node:latest@sha256:0123456789abcdef'),
      lines('ARG BASE', 'FROM ${BASE}'),
    ],
  },
  'RF-DF-008': {
    bad: [
      [lines('FROM node'), [[1, 1]]],
      [lines('FROM registry.example.com:5000/team/app AS x'), [[1, 1]]],
    ],
    good: [lines('FROM node:20'), lines('FROM scratch'), lines('FROM node:20 AS build', 'FROM build')],
  },
  'RF-DF-009': {
    bad: [
      [
        lines('FROM node:20.11-bookworm', 'FROM nginx:1.27'),
        [
          [1, 1],
          [2, 2],
        ],
      ],
    ],
    good: [lines('FROM node:20@sha256:0123456789abcdef'), lines('FROM scratch')],
  },
  'RF-DF-010': {
    bad: [
      [lines('FROM debian:12', 'RUN sudo apt-get update'), [[2, 2]]],
      [lines('FROM debian:12', 'RUN echo a && \\', '    sudo -E make install'), [[3, 3]]],
    ],
    good: [lines('FROM debian:12', 'RUN echo sudo is a word here')],
  },
  'RF-DF-011': {
    bad: [[lines('FROM debian:12', 'RUN apt-get update && apt-get install curl'), [[2, 2]]]],
    good: [
      lines('FROM debian:12', 'RUN apt-get install -y curl'),
      lines('FROM debian:12', 'RUN apt-get -qq install curl'),
      lines('FROM debian:12', 'RUN apt-get install --yes curl'),
      lines('FROM debian:12', 'RUN apt-get -o APT::Get::Assume-Yes=true install curl'),
    ],
  },
  'RF-DF-012': {
    bad: [[lines('FROM debian:12', 'RUN apt-get install -y curl'), [[2, 2]]]],
    good: [
      lines('FROM debian:12', 'RUN apt-get install -y --no-install-recommends curl'),
      lines('FROM debian:12', 'RUN apt-get install -y -o APT::Install-Recommends=false curl'),
    ],
  },
  'RF-DF-013': {
    bad: [
      [
        lines(
          'FROM debian:12',
          'RUN apt-get update \\',
          '  && apt-get install -y --no-install-recommends curl',
        ),
        [[3, 3]],
      ],
    ],
    good: [
      lines('FROM debian:12', 'RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*'),
      lines(
        'FROM debian:12 AS build',
        'RUN apt-get update && apt-get install -y gcc',
        'FROM scratch',
        'COPY --from=build /x /x',
      ),
      lines(
        'FROM debian:12',
        'RUN --mount=type=cache,target=/var/lib/apt apt-get update && apt-get install -y gcc',
      ),
    ],
  },
  'RF-DF-014': {
    bad: [
      [lines('FROM debian:12', 'RUN apt-get update && apt-get -y dist-upgrade'), [[2, 2]]],
      [lines('FROM alpine:3.19', 'RUN apk upgrade --no-cache'), [[2, 2]]],
      [lines('FROM rockylinux:9', 'RUN dnf -y update'), [[2, 2]]],
    ],
    good: [
      lines('FROM alpine:3.19', 'RUN apk upgrade --no-cache openssl'),
      lines('FROM rockylinux:9', 'RUN dnf -y update openssl'),
    ],
  },
  'RF-DF-015': {
    bad: [[lines('FROM debian:12', 'RUN apt-get install -y curl=7.88.1-10 git'), [[2, 2]]]],
    good: [
      lines('FROM debian:12', 'RUN apt-get install -y curl=7.88.1-10 ./local.deb'),
      lines('FROM debian:12', 'RUN apt-get install -y $PACKAGES'),
    ],
  },
  'RF-DF-016': {
    bad: [[lines('FROM debian:12', 'RUN apt install -y curl'), [[2, 2]]]],
    good: [lines('FROM debian:12', 'RUN apt-get install -y curl')],
  },
  'RF-DF-017': {
    bad: [[lines('FROM alpine:3.19', 'RUN apk add curl=8.5.0-r0'), [[2, 2]]]],
    good: [
      lines('FROM alpine:3.19', 'RUN apk add --no-cache curl'),
      lines('FROM alpine:3.19', 'RUN apk add curl && rm -rf /var/cache/apk/*'),
    ],
  },
  'RF-DF-018': {
    bad: [[lines('FROM alpine:3.19', 'RUN apk add --no-cache --virtual .deps curl'), [[2, 2]]]],
    good: [lines('FROM alpine:3.19', 'RUN apk add --no-cache curl=8.5.0-r0 git~2.43')],
  },
  'RF-DF-019': {
    bad: [[lines('FROM rockylinux:9', 'RUN yum install httpd-2.4.57 && yum clean all'), [[2, 2]]]],
    good: [lines('FROM rockylinux:9', 'RUN yum install -y httpd-2.4.57 && yum clean all')],
  },
  'RF-DF-020': {
    bad: [[lines('FROM rockylinux:9', 'RUN dnf install -y httpd-2.4.57'), [[2, 2]]]],
    good: [lines('FROM rockylinux:9', 'RUN dnf install -y httpd-2.4.57 && dnf clean all')],
  },
  'RF-DF-021': {
    bad: [[lines('FROM rockylinux:9', 'RUN dnf install -y httpd && dnf clean all'), [[2, 2]]]],
    good: [
      lines('FROM rockylinux:9', 'RUN dnf install -y httpd-2.4.57 @development ./x.rpm && dnf clean all'),
    ],
  },
  'RF-DF-022': {
    bad: [[lines('FROM opensuse/leap:15.6', 'RUN zypper install curl=8.6 && zypper clean'), [[2, 2]]]],
    good: [lines('FROM opensuse/leap:15.6', 'RUN zypper -n install curl=8.6 && zypper clean')],
  },
  'RF-DF-023': {
    bad: [[lines('FROM opensuse/leap:15.6', 'RUN zypper -n install curl=8.6'), [[2, 2]]]],
    good: [lines('FROM opensuse/leap:15.6', 'RUN zypper -n in curl=8.6 && zypper cc -a')],
  },
  'RF-DF-024': {
    bad: [[lines('FROM opensuse/leap:15.6', 'RUN zypper -n install curl && zypper clean'), [[2, 2]]]],
    good: [lines('FROM opensuse/leap:15.6', 'RUN zypper -n install "curl>=8.6" && zypper clean')],
  },
  'RF-DF-025': {
    bad: [[lines('FROM python:3.12', 'RUN python3 -m pip install django==5.0.3'), [[2, 2]]]],
    good: [
      lines('FROM python:3.12', 'RUN pip install --no-cache-dir django==5.0.3'),
      lines('FROM python:3.12', 'ENV PIP_NO_CACHE_DIR=1', 'RUN pip install django==5.0.3'),
    ],
  },
  'RF-DF-026': {
    bad: [[lines('FROM python:3.12', 'RUN pip install --no-cache-dir django requests==2.31.0'), [[2, 2]]]],
    good: [
      lines('FROM python:3.12', 'RUN pip install --no-cache-dir -r requirements.txt'),
      lines('FROM python:3.12', 'RUN pip install --no-cache-dir . ./dist/app-1.0-py3-none-any.whl'),
    ],
  },
  'RF-DF-027': {
    bad: [
      [lines('FROM node:20', 'RUN npm install -g typescript @angular/cli'), [[2, 2]]],
      [lines('FROM node:20', 'RUN npm i -g npm@latest'), [[2, 2]]],
    ],
    good: [lines('FROM node:20', 'RUN npm install -g typescript@5.4.2 @angular/cli@17.3.0')],
  },
  'RF-DF-028': {
    bad: [[lines('FROM node:20', 'COPY package*.json ./', 'RUN npm install'), [[3, 3]]]],
    good: [
      lines('FROM node:20', 'RUN npm ci --omit=dev'),
      lines('FROM node:20', 'RUN npm install -g pnpm@9.0.0'),
    ],
  },
  'RF-DF-029': {
    bad: [[lines('FROM ruby:3.3', 'RUN gem install bundler'), [[2, 2]]]],
    good: [lines('FROM ruby:3.3', 'RUN gem install bundler -v 2.5.6 && gem install rake:13.1.0')],
  },
  'RF-DF-030': {
    bad: [
      [lines('FROM debian:12', 'RUN curl -fsSL https://x.example/a.tgz | tar xz'), [[2, 2]]],
      [
        lines(
          'FROM debian:12',
          'RUN set -e; \\',
          '  echo a; \\',
          '  wget -qO- https://x.example/a | gunzip > /a',
        ),
        [[4, 4]],
      ],
    ],
    good: [
      lines('FROM debian:12', 'RUN set -eo pipefail; curl -fsSL https://x.example/a.tgz | tar xz'),
      lines(
        'FROM debian:12',
        'SHELL ["/bin/bash", "-o", "pipefail", "-c"]',
        'RUN curl -fsSL https://x.example/a.tgz | tar xz',
      ),
      lines(
        'FROM debian:12',
        'RUN ["/bin/bash", "-o", "pipefail", "-c", "curl -fsSL https://x.example/a.tgz | tar xz"]',
      ),
    ],
  },
  'RF-DF-031': {
    bad: [
      [lines('FROM debian:12', 'RUN curl -fsSL https://get.example.com | sudo bash -s -- --yes'), [[2, 2]]],
      [lines('FROM debian:12', 'RUN bash -c "$(curl -fsSL https://get.example.com)"'), [[2, 2]]],
      [
        lines('FROM debian:12', 'RUN <<EOF', 'set -e', 'wget -qO- https://get.example.com | sh', 'EOF'),
        [[4, 4]],
      ],
    ],
    good: [
      lines(
        'FROM debian:12',
        'RUN curl -fsSLo /tmp/i.sh https://get.example.com \\',
        '  && echo "abc  /tmp/i.sh" | sha256sum -c - && sh /tmp/i.sh',
      ),
      lines('FROM debian:12', 'RUN curl -fsSL https://x.example/a.tgz | tar xz'),
    ],
  },
  'RF-DF-032': {
    bad: [[lines('FROM alpine:3.19', 'ADD https://example.com/app.tgz /tmp/'), [[2, 2]]]],
    good: [
      lines(
        'FROM alpine:3.19',
        'ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/app.tgz /tmp/',
      ),
    ],
  },
  'RF-DF-033': {
    bad: [[lines('FROM alpine:3.19', 'CMD ["a"]', 'RUN true', 'CMD ["b"]'), [[2, 2]]]],
    good: [lines('FROM alpine:3.19 AS a', 'CMD ["a"]', 'FROM alpine:3.19', 'CMD ["b"]')],
  },
  'RF-DF-034': {
    bad: [
      [
        lines('FROM alpine:3.19', 'ENTRYPOINT ["a"]', 'ENTRYPOINT ["b"]', 'ENTRYPOINT ["c"]'),
        [
          [2, 2],
          [3, 3],
        ],
      ],
    ],
    good: [lines('FROM alpine:3.19', 'ENTRYPOINT ["a"]', 'CMD ["b"]')],
  },
  'RF-DF-035': {
    bad: [[lines('FROM alpine:3.19', 'HEALTHCHECK CMD /a', 'HEALTHCHECK CMD /b'), [[2, 2]]]],
    good: [lines('FROM alpine:3.19', 'HEALTHCHECK CMD /a')],
  },
  'RF-DF-036': {
    bad: [
      [lines('FROM node:20', 'CMD node server.js'), [[2, 2]]],
      [lines('FROM node:20', 'ENTRYPOINT /entrypoint.sh', 'CMD ["serve"]'), [[2, 2]]],
    ],
    good: [
      lines('FROM node:20', 'CMD ["node", "server.js"]'),
      lines('FROM node:20 AS build', 'CMD npm test', 'FROM node:20', 'CMD ["node", "server.js"]'),
    ],
  },
  'RF-DF-037': {
    bad: [[lines('FROM alpine:3.19', 'WORKDIR app'), [[2, 2]]]],
    good: [lines('FROM alpine:3.19', 'WORKDIR /app'), lines('FROM alpine:3.19', 'WORKDIR $HOME/app')],
  },
  'RF-DF-038': {
    bad: [[lines('FROM alpine:3.19', 'RUN cd /src && make'), [[2, 2]]]],
    good: [lines('FROM alpine:3.19', 'WORKDIR /src', 'RUN make && sh -c "cd docs && make"')],
  },
  'RF-DF-039': {
    bad: [
      [lines('FROM alpine:3.19', 'EXPOSE 80 22/tcp'), [[2, 2]]],
      [lines('FROM alpine:3.19', 'EXPOSE 20-25'), [[2, 2]]],
    ],
    good: [lines('FROM alpine:3.19', 'EXPOSE 8080 22/udp')],
  },
  'RF-DF-040': {
    bad: [
      [
        lines('FROM alpine:3.19', 'EXPOSE 99999 80/http 0'),
        [
          [2, 2],
          [2, 2],
          [2, 2],
        ],
      ],
    ],
    good: [lines('FROM alpine:3.19', 'ARG PORT=8080', 'EXPOSE 80/udp 8000-8010 $PORT ${UNKNOWN}')],
  },
  'RF-DF-041': {
    bad: [[lines('FROM alpine:3.19', 'MAINTAINER me@example.com'), [[2, 2]]]],
    good: [lines('FROM alpine:3.19', 'LABEL org.opencontainers.image.authors="me@example.com"')],
  },
  'RF-DF-042': {
    bad: [
      [lines('FROM alpine:3.19', 'RUN chmod -R 777 /app'), [[2, 2]]],
      [lines('FROM alpine:3.19', 'COPY --chmod=666 a.txt /a.txt'), [[2, 2]]],
      [lines('FROM alpine:3.19', 'RUN chmod -R o+w,u+x /data'), [[2, 2]]],
    ],
    good: [
      lines(
        'FROM alpine:3.19',
        'RUN chmod 1777 /scratch && chmod 755 /app && chmod +t,o+w /shared && chmod o-w /x',
      ),
    ],
  },
  'RF-DF-043': {
    bad: [
      [lines('FROM alpine:3.19 AS builder', 'FROM alpine:3.19', 'COPY --from=biulder /a /a'), [[3, 3]]],
      [lines('FROM alpine:3.19', 'COPY --from=later /a /a', 'FROM alpine:3.19 AS later'), [[2, 2]]],
      [lines('FROM alpine:3.19', 'RUN --mount=type=bind,from=5,target=/x true'), [[2, 2]]],
    ],
    good: [
      lines(
        'FROM alpine:3.19 AS builder',
        'FROM alpine:3.19',
        'COPY --from=BUILDER /a /a',
        'COPY --from=0 /b /b',
      ),
      lines('FROM alpine:3.19', 'COPY --from=nginx:1.27 /etc/nginx /etc/nginx'),
    ],
  },
  'RF-DF-044': {
    bad: [[lines('FROM alpine:3.19 AS app', 'COPY --from=app /a /b'), [[2, 2]]]],
    good: [lines('FROM alpine:3.19 AS build', 'FROM alpine:3.19 AS app', 'COPY --from=build /a /b')],
  },
  'RF-DF-045': {
    bad: [[lines('FROM alpine:3.19 AS x', 'FROM alpine:3.19 AS X'), [[2, 2]]]],
    good: [lines('FROM alpine:3.19 AS x', 'FROM alpine:3.19 AS y')],
  },
  'RF-DF-046': {
    bad: [[lines('FROM debian:12', 'RUN groupadd -g 123456 app && useradd -u 123456 -g app app'), [[2, 2]]]],
    good: [lines('FROM debian:12', 'RUN useradd -l -u 123456 app && useradd -u 1000 other')],
  },
  'RF-DF-047': {
    bad: [
      [lines('FROM alpine:3.19', 'RUN chmod u+s /usr/local/bin/tool'), [[2, 2]]],
      [lines('FROM alpine:3.19', 'COPY --chmod=4755 tool /usr/local/bin/tool'), [[2, 2]]],
    ],
    good: [
      lines('FROM alpine:3.19', 'RUN find / -xdev -perm /6000 -type f -exec chmod a-s {} + ; chmod 0755 /x'),
    ],
  },
  'RF-DF-048': {
    bad: [
      [lines('FROM debian:12', 'RUN curl -fsSLk https://x.example/a -o /a'), [[2, 2]]],
      [lines('FROM debian:12', 'RUN apt-get install -y --allow-unauthenticated curl=1'), [[2, 2]]],
      [lines('FROM node:20', 'ENV NODE_TLS_REJECT_UNAUTHORIZED=0'), [[2, 2]]],
      [lines('FROM python:3.12', 'RUN pip install --trusted-host pypi.example.com x==1'), [[2, 2]]],
      [lines('FROM alpine:3.19', 'RUN git config --global http.sslVerify false'), [[2, 2]]],
    ],
    good: [
      lines(
        'FROM debian:12',
        'RUN curl -fsSL -o /k https://x.example/key && git -c http.sslVerify=true clone x',
      ),
    ],
  },
  'RF-DF-049': {
    bad: [
      [lines('FROM debian:12', 'RUN curl -fsSLo /a http://downloads.example.com/a'), [[2, 2]]],
      [lines('FROM debian:12', 'ADD http://downloads.example.com/a.tgz /'), [[2, 2]]],
    ],
    good: [
      lines(
        'FROM debian:12',
        'RUN curl -fsSLo /a https://downloads.example.com/a && curl http://localhost:8080/health',
      ),
    ],
  },
  'RF-DF-050': {
    bad: [
      [lines('FROM node:20', 'COPY .npmrc package.json ./'), [[2, 2]]],
      [lines('FROM node:20', 'COPY id_rsa /root/.ssh/id_rsa'), [[2, 2]]],
      [lines('FROM node:20', 'ADD .env.production /app/.env'), [[2, 2]]],
    ],
    good: [
      lines('FROM node:20', 'COPY .env.example /app/.env'),
      lines('FROM node:20 AS deps', 'COPY .npmrc ./', 'FROM node:20', 'COPY --from=deps /app /app'),
    ],
  },
  'RF-DF-051': {
    bad: [[lines('FROM debian:12', 'ENV DEBIAN_FRONTEND=noninteractive'), [[2, 2]]]],
    good: [lines('FROM debian:12', 'ARG DEBIAN_FRONTEND=noninteractive')],
  },
  'RF-DF-052': {
    bad: [[lines('FROM node:20', 'RUN yarn install --frozen-lockfile'), [[2, 2]]]],
    good: [lines('FROM node:20', 'RUN yarn install --frozen-lockfile && yarn cache clean')],
  },
  'RF-DF-053': {
    bad: [[lines('FROM alpine:3.19', 'RUN --security=insecure mount -t tmpfs none /mnt'), [[2, 2]]]],
    good: [lines('FROM alpine:3.19', 'RUN --network=none make')],
  },
  'RF-DF-054': {
    bad: [[lines('FROM alpine:3.19', 'ENV GREETING hello world'), [[2, 2]]]],
    good: [lines('FROM alpine:3.19', 'ENV GREETING="hello world"')],
  },
  'RF-DF-055': {
    bad: [[lines('FROM --platform=linux/amd64 node:20'), [[1, 1]]]],
    good: [lines('FROM --platform=$BUILDPLATFORM golang:1.22 AS build')],
  },
  'RF-DF-056': {
    bad: [[lines('FROM alpine:3.19', 'COPY a.txt b.txt /app'), [[2, 2]]]],
    good: [lines('FROM alpine:3.19', 'COPY a.txt b.txt /app/', 'COPY a.txt /app/a.txt')],
  },
  'RF-DF-057': {
    bad: [
      [
        lines('FROM debian:12', 'RUN apt-get install -y --no-install-recommends openssh-server=1:9.2'),
        [[2, 2]],
      ],
    ],
    good: [lines('FROM debian:12', 'RUN apt-get install -y --no-install-recommends openssh-client=1:9.2')],
  },
  'RF-DF-058': {
    bad: [[lines('FROM golang:1.22', 'RUN go install golang.org/x/tools/gopls@latest'), [[2, 2]]]],
    good: [lines('FROM golang:1.22', 'RUN go install golang.org/x/tools/gopls@v0.15.2')],
  },
};

function ranges(text: string, ruleId: string): [number, number][] {
  const result = scanSource(dockerfileKind, { path: 'Dockerfile', text, companions: new Map() });
  expect(result.errors).toEqual([]);
  return result.findings
    .filter((f) => f.ruleId === ruleId)
    .map((f) => [f.location.line!, f.location.endLine!] as [number, number]);
}

describe('Dockerfile checks', () => {
  it('has a good and a bad example for every check, and no example for a check that does not exist', () => {
    const ids = dockerfileChecks.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(Object.keys(CASES).sort()).toEqual([...ids].sort());
    expect(ids.length).toBeGreaterThanOrEqual(40);
  });

  for (const [id, c] of Object.entries(CASES)) {
    describe(id, () => {
      c.bad.forEach(([text, expected], i) => {
        it(`fires on bad example ${i + 1} at the right lines`, () => {
          expect(ranges(text, id)).toEqual(expected);
        });
      });
      c.good.forEach((text, i) => {
        it(`stays quiet on good example ${i + 1}`, () => {
          expect(ranges(text, id)).toEqual([]);
        });
      });
    });
  }

  it('gives every check the metadata a report needs', () => {
    for (const c of dockerfileChecks) {
      expect(c.id).toMatch(/^RF-DF-\d{3}$/);
      expect(c.title.length).toBeGreaterThan(5);
      expect(c.description.length).toBeGreaterThan(40);
      expect(c.remediation.length).toBeGreaterThan(10);
      expect(c.references.length).toBeGreaterThan(0);
      for (const r of c.references) expect(r).toMatch(/^https:\/\//);
    }
    const cis = Object.fromEntries(dockerfileChecks.map((c) => [c.id, c.frameworks?.['cis-docker']]));
    expect(cis).toMatchObject({
      'RF-DF-001': '4.1',
      'RF-DF-002': '4.6',
      'RF-DF-003': '4.7',
      'RF-DF-004': '4.9',
      'RF-DF-005': '4.10',
      'RF-DF-006': '4.10',
      'RF-DF-047': '4.8',
    });
  });
});
