import { describe, expect, it } from 'vitest';
import { compileError, event, holds } from '../make.js';

const e = event({
  proc: {
    name: 'nginx',
    cmdline: 'nginx -g daemon off;',
    args: ['-g', 'daemon off;'],
    pid: 77,
    tty: 0,
    env: { HOME: '/root' },
  },
  fd: { name: '/var/www/html/Index.php', num: 9 },
  evt: {
    args: { flags: 'O_RDONLY', fd: 9, request: 'PTRACE_ATTACH' },
    res: 9,
    buffer: '\xca\xfe\xba\xbeHELLO',
  },
});

describe('comparison operators', () => {
  it('= and != (also ==), on strings and numbers', () => {
    expect(holds('proc.name = nginx', e)).toBe(true);
    expect(holds('proc.name == nginx', e)).toBe(true);
    expect(holds('proc.name = apache', e)).toBe(false);
    expect(holds('proc.name != apache', e)).toBe(true);
    expect(holds('proc.name != nginx', e)).toBe(false);
    expect(holds('proc.pid = 77', e)).toBe(true);
    expect(holds('proc.pid = 0x4d', e)).toBe(true);
    expect(holds('proc.pid != 78', e)).toBe(true);
  });

  it('<, <=, >, >= on numbers', () => {
    expect(holds('proc.pid < 78', e)).toBe(true);
    expect(holds('proc.pid < 77', e)).toBe(false);
    expect(holds('proc.pid <= 77', e)).toBe(true);
    expect(holds('proc.pid > 76', e)).toBe(true);
    expect(holds('proc.pid >= 78', e)).toBe(false);
    expect(holds('fd.num >= 0', e)).toBe(true);
    expect(holds('fd.num > -1', event({ fd: { num: -1 } }))).toBe(false);
  });

  it('contains, icontains, startswith, endswith', () => {
    expect(holds('proc.cmdline contains "daemon off"', e)).toBe(true);
    expect(holds('proc.cmdline contains DAEMON', e)).toBe(false);
    expect(holds('proc.cmdline icontains DAEMON', e)).toBe(true);
    expect(holds('fd.name startswith /var/www/', e)).toBe(true);
    expect(holds('fd.name startswith /var/wwx', e)).toBe(false);
    expect(holds('fd.name endswith .php', e)).toBe(true);
    expect(holds('fd.name endswith .PHP', e)).toBe(false);
  });

  it('bcontains and bstartswith take hex bytes', () => {
    expect(holds('evt.buffer bstartswith cafebabe', e)).toBe(true);
    expect(holds('evt.buffer bcontains 48454C4C4F', e)).toBe(true);
    expect(holds('evt.buffer bcontains 00', e)).toBe(false);
    expect(compileError('evt.buffer bcontains xyz')).toMatch(/hexadecimal/);
  });

  it('glob and iglob match whole strings, * crossing slashes as Falco does', () => {
    expect(holds("fd.name glob '/var/*/Index.php'", e)).toBe(true);
    expect(holds("fd.name glob '/var/*.php'", e)).toBe(true);
    expect(holds("fd.name glob '/var/www/html/?ndex.php'", e)).toBe(true);
    expect(holds("fd.name glob '/var/www/html/[A-Z]ndex.php'", e)).toBe(true);
    expect(holds("fd.name glob '/var/www/html/[!A-Z]ndex.php'", e)).toBe(false);
    expect(holds("fd.name glob '/var/*'", e)).toBe(true);
    expect(holds("fd.name glob '/var'", e)).toBe(false);
    expect(holds("fd.name glob '*index.php'", e)).toBe(false);
    expect(holds("fd.name iglob '*index.php'", e)).toBe(true);
  });

  it('regex matches the whole string', () => {
    expect(holds("fd.name regex '/var/www/[a-z]+/[A-Z][a-z]+[.]php'", e)).toBe(true);
    expect(holds("fd.name regex '/var/www/[a-z]+/[A-Z][a-z]+\\\\.php'", e)).toBe(true);
    expect(holds("fd.name regex 'www'", e)).toBe(false);
    expect(holds("fd.name regex '.*www.*'", e)).toBe(true);
    expect(compileError("fd.name regex '(unclosed'")).toMatch(/invalid regular expression/);
  });

  it('in, intersects, with inline lists and named lists (nested, quoted items)', () => {
    const lists = `
- list: inner
  items: [httpd, '"nginx"']
- list: servers
  items: [inner, apache2]
`;
    expect(holds('proc.name in (apache2, nginx)', e)).toBe(true);
    expect(holds('proc.name in (apache2, httpd)', e)).toBe(false);
    expect(holds('proc.name in (servers)', e, lists)).toBe(true);
    expect(holds('proc.name in servers', e, lists)).toBe(true);
    expect(holds('proc.name in (servers, lighttpd)', e, lists)).toBe(true);
    expect(holds('proc.name intersects (nginx)', e)).toBe(true);
    expect(holds('proc.name in ()', e)).toBe(false);
    expect(holds('proc.pid in (1, 77, 0x10)', e)).toBe(true);
    expect(holds('not proc.name in (a, b, c, d, e, f, g, h, i)', e)).toBe(true);
    expect(holds('proc.name in (a, b, c, d, e, f, g, h, nginx)', e)).toBe(true);
  });

  it('pmatch matches path prefixes by component, with globs inside components', () => {
    expect(holds('fd.name pmatch (/var/www)', e)).toBe(true);
    expect(holds('fd.name pmatch (/var/www/)', e)).toBe(true);
    expect(holds('fd.name pmatch (/var/ww)', e)).toBe(false);
    expect(holds('fd.name pmatch (/var/www/html/Index.php)', e)).toBe(true);
    expect(holds('fd.name pmatch (/etc, /var/*/html)', e)).toBe(true);
    expect(holds('fd.name pmatch (/var/*)', e)).toBe(true);
    expect(holds('fd.name pmatch (/v*/www/htm)', e)).toBe(false);
    expect(holds('fd.name pmatch (/)', e)).toBe(true);
    expect(holds('fd.name pmatch (/tmp)', e)).toBe(false);
  });

  it('exists, and <NA> fields make every comparison false (so `not` of one is true)', () => {
    const host = event({ container: undefined, fd: undefined });
    expect(holds('fd.name exists', e)).toBe(true);
    expect(holds('fd.name exists', host)).toBe(false);
    expect(holds('fd.name = x', host)).toBe(false);
    expect(holds('fd.name != x', host)).toBe(false);
    expect(holds('not fd.name = x', host)).toBe(true);
    expect(holds('container.image.repository != nginx', host)).toBe(false);
    expect(holds('container.id = host', host)).toBe(true);
    expect(holds('proc.aname[5] exists', e)).toBe(false);
  });

  it('multi-valued fields: any ancestor, either endpoint; != means none equal', () => {
    expect(holds('proc.aname = systemd', e)).toBe(true);
    expect(holds('proc.aname in (containerd-shim)', e)).toBe(true);
    expect(holds('proc.aname = nginx', e)).toBe(false);
    expect(holds('proc.aname != sshd', e)).toBe(true);
    expect(holds('proc.aname != systemd', e)).toBe(false);
    expect(holds('proc.apid = 1', e)).toBe(true);
    const conn = event({
      type: 'connect',
      fd: { type: 'ipv4', cip: '10.1.2.3', cport: 40000, sip: '93.184.216.34', sport: 443, l4proto: 'tcp' },
    });
    expect(holds('fd.ip = 93.184.216.34', conn)).toBe(true);
    expect(holds('fd.ip = 10.1.2.3', conn)).toBe(true);
    expect(holds('fd.port = 40000', conn)).toBe(true);
    expect(holds('fd.port != 443', conn)).toBe(false);
    expect(holds('fd.net = "10.0.0.0/8"', conn)).toBe(true);
    expect(holds('fd.net != "10.0.0.0/8"', conn)).toBe(false);
    expect(holds('fd.net != "127.0.0.0/8"', conn)).toBe(true);
  });

  it('addresses and networks, IPv4 and IPv6', () => {
    const v6 = event({
      type: 'connect',
      fd: { type: 'ipv6', cip: 'fd00::5', sip: '2001:db8::1', sport: 53, l4proto: 'udp' },
    });
    expect(holds('fd.sip = "2001:0db8:0000::0001"', v6)).toBe(true);
    expect(holds('fd.snet = "2001:db8::/32"', v6)).toBe(true);
    expect(holds('fd.snet = "2001:db9::/32"', v6)).toBe(false);
    expect(holds('fd.cnet in ("fc00::/7", "10.0.0.0/8")', v6)).toBe(true);
    const mapped = event({ type: 'connect', fd: { type: 'ipv6', cip: '::ffff:10.9.8.7', sip: '::1' } });
    expect(holds('fd.cnet = "10.0.0.0/8"', mapped)).toBe(true);
    expect(holds('fd.snet = "::1/128"', mapped)).toBe(true);
    expect(compileError('fd.sip = not-an-ip')).toMatch(/not an IP address/);
    expect(compileError('fd.snet = "10.0.0.0/33"')).toMatch(/not an IP network/);
  });

  it('booleans', () => {
    const priv = event({ container: { id: 'c0ffee123456', privileged: true } });
    expect(holds('container.privileged = true', priv)).toBe(true);
    expect(holds('container.privileged != false', priv)).toBe(true);
    expect(holds('container.privileged = false', priv)).toBe(false);
    expect(compileError('container.privileged = yes')).toMatch(/true or false/);
  });

  it('raw arguments compare as numbers or text', () => {
    expect(holds('evt.rawarg.fd = 9', e)).toBe(true);
    expect(holds('evt.rawarg.fd > 8', e)).toBe(true);
    expect(holds('evt.rawarg.request = PTRACE_ATTACH', e)).toBe(true);
    expect(holds('evt.rawarg.request startswith PTRACE', e)).toBe(true);
    expect(holds('evt.arg.fd = 9', e)).toBe(true);
    expect(holds('evt.arg[0] = O_RDONLY', e)).toBe(true);
  });

  it('transformers and val()', () => {
    expect(holds('toupper(proc.name) = NGINX', e)).toBe(true);
    expect(holds('tolower(fd.name) endswith index.php', e)).toBe(true);
    expect(holds('basename(fd.name) = Index.php', e)).toBe(true);
    expect(holds('len(proc.name) = 5', e)).toBe(true);
    expect(holds('b64(proc.env[B]) = hello', event({ proc: { env: { B: 'aGVsbG8=' } } }))).toBe(true);
    expect(holds('proc.name = val(proc.name)', e)).toBe(true);
    expect(holds('proc.name = val(proc.pname)', e)).toBe(false);
    expect(holds('proc.pid > val(proc.ppid)', event({ proc: { pid: 10, ppid: 5 } }))).toBe(true);
    expect(holds('tolower(proc.name) = tolower(proc.exe)', event({ proc: { name: 'X', exe: 'x' } }))).toBe(
      true,
    );
    expect(compileError('toupper(proc.pid) = 1')).toMatch(/string field/);
  });

  it('rejects operators that do not fit the field', () => {
    expect(compileError('proc.name < 3')).toMatch(/does not apply to a string field/);
    expect(compileError('proc.pid contains 3')).toMatch(/does not apply to a number field/);
    expect(compileError('proc.pid = abc')).toMatch(/not a number/);
    expect(compileError('proc.name = (a, b)')).toBeDefined();
    expect(compileError('proc.aname[x] = a')).toMatch(/must be a number/);
    expect(compileError('proc.name[1] = a')).toMatch(/takes no argument/);
    expect(compileError('evt.arg = a')).toMatch(/needs an argument/);
  });
});
