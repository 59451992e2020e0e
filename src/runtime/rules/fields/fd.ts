import type { Event } from '../../../types.js';
import {
  type Extractor,
  type FieldSpec,
  type FieldType,
  type FieldValue,
  type Memo,
  plain,
} from './types.js';

type Fd = NonNullable<Event['fd']>;

const TYPE_CHARS: Record<string, string> = {
  file: 'f',
  directory: 'd',
  ipv4: '4',
  ipv6: '6',
  unix: 'u',
  pipe: 'p',
  event: 'e',
  signalfd: 's',
  eventpoll: 'l',
  inotify: 'i',
  timerfd: 't',
  netlink: 'n',
  bpf: 'b',
  userfaultfd: 'r',
  io_uring: 'r',
  memfd: 'm',
  pidfd: 'P',
};

function typeChar(fd: Fd | undefined): string | undefined {
  const type = fd?.type;
  if (type === 'file') return 'f';
  if (type === undefined) return undefined;
  return Object.hasOwn(TYPE_CHARS, type) ? TYPE_CHARS[type] : 'o';
}

function isFile(fd: Fd): boolean {
  return fd.type === 'file' || fd.type === 'directory' || fd.type === undefined;
}

/** The directory part of a file descriptor's path (`/` for `/x`). */
function directory(e: Event, m: Memo): string | undefined {
  const fd = e.fd;
  const name = fd?.name;
  if (name === undefined || !isFile(fd!)) return undefined;
  m.use(e);
  if (m.directory === undefined) {
    const slash = name.lastIndexOf('/');
    m.directory = slash < 0 ? '' : slash === 0 ? '/' : name.slice(0, slash);
  }
  return m.directory;
}

function filename(e: Event, m: Memo): string | undefined {
  const fd = e.fd;
  const name = fd?.name;
  if (name === undefined || !isFile(fd!)) return undefined;
  m.use(e);
  m.filename ??= name.slice(name.lastIndexOf('/') + 1);
  return m.filename;
}

const local = <T>(fd: Fd | undefined, client: T, server: T): T => (fd?.isServer ? server : client);

/** A field matching either endpoint (fd.ip, fd.port, fd.net): the server's value first. */
function eitherEnd(
  name: string,
  type: FieldType,
  server: (fd: Fd) => FieldValue | undefined,
  client: (fd: Fd) => FieldValue | undefined,
): FieldSpec {
  const extractor: Extractor = {
    many: true,
    type,
    get: (e) => (e.fd ? (server(e.fd) ?? client(e.fd)) : undefined),
    some(e, _m, test) {
      const fd = e.fd;
      if (!fd) return undefined;
      const s = server(fd);
      const c = client(fd);
      if (s === undefined && c === undefined) return undefined;
      return (s !== undefined && test(s)) || (c !== undefined && test(c));
    },
  };
  return {
    name,
    type,
    arg: 'none',
    bind: (arg) => (arg === undefined ? extractor : `${name} takes no argument`),
  };
}

export const fdFields: FieldSpec[] = [
  plain('fd.num', 'number', (e) => e.fd?.num),
  plain('fd.type', 'string', (e) => e.fd?.type),
  plain('fd.typechar', 'string', (e) => typeChar(e.fd)),
  plain('fd.name', 'string', (e) => e.fd?.name),
  plain('fd.nameraw', 'string', (e) => e.fd?.nameraw ?? e.fd?.name),
  plain('fd.directory', 'string', directory),
  plain('fd.filename', 'string', filename),
  plain('fd.l4proto', 'string', (e) => e.fd?.l4proto),
  plain('fd.sockfamily', 'string', (e) => {
    const type = e.fd?.type;
    return type === 'ipv4' || type === 'ipv6' ? 'ip' : type === 'unix' ? 'unix' : undefined;
  }),
  plain('fd.is_server', 'bool', (e) =>
    e.fd?.cip === undefined && e.fd?.sip === undefined ? undefined : !!e.fd.isServer,
  ),
  plain('fd.connected', 'bool', (e) => e.fd?.connected),
  plain('fd.name_changed', 'bool', (e) => e.fd?.nameChanged),
  plain('fd.cip', 'ipaddr', (e) => e.fd?.cip),
  plain('fd.sip', 'ipaddr', (e) => e.fd?.sip),
  plain('fd.lip', 'ipaddr', (e) => local(e.fd, e.fd?.cip, e.fd?.sip)),
  plain('fd.rip', 'ipaddr', (e) => local(e.fd, e.fd?.sip, e.fd?.cip)),
  plain('fd.cport', 'number', (e) => e.fd?.cport),
  plain('fd.sport', 'number', (e) => e.fd?.sport),
  plain('fd.lport', 'number', (e) => local(e.fd, e.fd?.cport, e.fd?.sport)),
  plain('fd.rport', 'number', (e) => local(e.fd, e.fd?.sport, e.fd?.cport)),
  plain('fd.cnet', 'ipnet', (e) => e.fd?.cip),
  plain('fd.snet', 'ipnet', (e) => e.fd?.sip),
  plain('fd.lnet', 'ipnet', (e) => local(e.fd, e.fd?.cip, e.fd?.sip)),
  plain('fd.rnet', 'ipnet', (e) => local(e.fd, e.fd?.sip, e.fd?.cip)),
  plain('fd.cip.name', 'string', (e) => e.fd?.cipName),
  plain('fd.sip.name', 'string', (e) => e.fd?.sipName),
  plain('fd.lip.name', 'string', (e) => local(e.fd, e.fd?.cipName, e.fd?.sipName)),
  plain('fd.rip.name', 'string', (e) => local(e.fd, e.fd?.sipName, e.fd?.cipName)),
  eitherEnd(
    'fd.ip',
    'ipaddr',
    (fd) => fd.sip,
    (fd) => fd.cip,
  ),
  eitherEnd(
    'fd.net',
    'ipnet',
    (fd) => fd.sip,
    (fd) => fd.cip,
  ),
  eitherEnd(
    'fd.port',
    'number',
    (fd) => fd.sport,
    (fd) => fd.cport,
  ),
];
