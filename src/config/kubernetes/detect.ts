import { isRecord } from './values.js';

const CANDIDATE = /\.(ya?ml|json)$/i;
const TOP_LEVEL_API_VERSION = /^["']?apiVersion["']?[ \t]*:/m;
const TOP_LEVEL_KIND = /^["']?kind["']?[ \t]*:/m;

export function isManifestCandidate(path: string): boolean {
  return CANDIDATE.test(path);
}

/**
 * A Kubernetes manifest is recognised by content: a document with `apiVersion` and `kind` at its
 * top level. JSON is parsed to be sure the two keys are the object's own, not a nested
 * manifest inside another tool's file; JSON that does not parse but names both is taken as a
 * broken manifest, so it is reported. Helm chart templates (`{{ }}` under templates/) are not
 * manifests until rendered: scan `helm template` output instead.
 */
export function looksLikeManifest(text: string, path: string): boolean {
  if (/(^|\/)templates\//.test(path) && text.includes('{{')) return false;
  if (looksLikeJson(text)) return jsonManifest(text);
  return TOP_LEVEL_API_VERSION.test(text) && TOP_LEVEL_KIND.test(text);
}

export function looksLikeJson(text: string): boolean {
  return /^\s*\{/.test(text);
}

function jsonManifest(text: string): boolean {
  if (!/"apiVersion"\s*:/.test(text) || !/"kind"\s*:/.test(text)) return false;
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return true;
  }
  return isRecord(doc) && typeof doc.apiVersion === 'string' && typeof doc.kind === 'string';
}
