/** A container image reference: [registry/]repository[:tag][@digest]. */
export interface ImageRef {
  registry?: string;
  repository: string;
  tag?: string;
  digest?: string;
}

/** Splits an image reference; undefined for an empty string or one with whitespace. */
export function parseImageRef(ref: string): ImageRef | undefined {
  if (!ref || /\s/.test(ref)) return undefined;
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  let registry: string | undefined;
  const slash = rest.indexOf('/');
  if (slash !== -1) {
    const first = rest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      registry = first;
      rest = rest.slice(slash + 1);
    }
  }
  if (!rest) return undefined;
  return {
    repository: rest,
    ...(registry ? { registry } : {}),
    ...(tag !== undefined ? { tag } : {}),
    ...(digest !== undefined ? { digest } : {}),
  };
}

/** `scratch` is no image at all: nothing to tag or pin. */
export function isScratch(ref: ImageRef): boolean {
  return ref.repository === 'scratch' && !ref.registry && !ref.tag && !ref.digest;
}
