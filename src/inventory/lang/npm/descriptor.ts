/**
 * "name@range" as yarn and pnpm write it: the name may be scoped ("@s/n@^1"), and the range
 * may carry a protocol ("npm:real@^1", "workspace:*", "file:../x").
 */
interface Descriptor {
  name: string;
  range: string;
}

export function splitDescriptor(descriptor: string): Descriptor {
  const at = descriptor.indexOf('@', 1);
  if (at < 0) return { name: descriptor, range: '' };
  return { name: descriptor.slice(0, at), range: descriptor.slice(at + 1) };
}

/** The protocol before the first ':' of a range ("npm", "workspace", "patch"), or ''. */
function protocolOf(range: string): string {
  const colon = range.indexOf(':');
  return colon < 0 ? '' : range.slice(0, colon);
}

/**
 * Ranges that point into the user's own tree (workspaces, portals, links, folders): the
 * project's code, not a dependency. A local tarball ("file:vendor/x-1.0.0.tgz") is a real
 * package that was vendored, so it counts.
 */
export function isLocalRange(range: string): boolean {
  const protocol = protocolOf(range);
  if (protocol === 'file') return !LOCAL_TARBALL.test(range.split(/::|#/)[0]!);
  return LOCAL_PROTOCOLS.has(protocol);
}

const LOCAL_PROTOCOLS = new Set(['workspace', 'portal', 'link', 'exec']);
const LOCAL_TARBALL = /\.(?:tgz|tar\.gz|tar)$/;
