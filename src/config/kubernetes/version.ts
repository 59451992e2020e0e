import { UserError } from '../../util/errors.js';
import { ConfigParseError } from '../engine/check.js';
import { NEWEST_POLICY_MINOR } from './pss/controls/index.js';

/** The setting (`--k8s-version`) that chooses which Kubernetes version's Pod Security admission to reproduce. */
const K8S_VERSION_SETTING = 'k8s-version';

/**
 * N of a Kubernetes version 1.N given as `1.30`, `v1.30`, `1.30.2` or `latest`. Versions newer
 * than the newest policy change behave like it, as the admission itself does. Undefined when
 * the text is not such a version.
 */
export function parseK8sVersion(text: string): number | undefined {
  const v = text.trim();
  if (v === 'latest') return NEWEST_POLICY_MINOR;
  const m = /^v?1\.(\d{1,4})(?:\.\d+)?$/.exec(v);
  return m ? Math.min(Number(m[1]), NEWEST_POLICY_MINOR) : undefined;
}

/** `--k8s-version` as scan settings, checked before anything is scanned. */
export function k8sVersionSettings(flag: string | undefined): Readonly<Record<string, string>> | undefined {
  if (flag === undefined) return undefined;
  if (parseK8sVersion(flag) === undefined) {
    throw new UserError(
      `--${K8S_VERSION_SETTING}: expected a Kubernetes version such as 1.30 or latest, got '${flag}'`,
    );
  }
  return { [K8S_VERSION_SETTING]: flag };
}

/** The version a scan asked for in its settings; the newest policy when it asked for none. */
export function k8sMinorSetting(settings: Readonly<Record<string, string>> | undefined): number {
  const text = settings?.[K8S_VERSION_SETTING];
  if (text === undefined) return NEWEST_POLICY_MINOR;
  const minor = parseK8sVersion(text);
  if (minor === undefined) {
    throw new ConfigParseError(
      `--${K8S_VERSION_SETTING}: "${text}" is not a Kubernetes version such as 1.30`,
    );
  }
  return minor;
}

export function formatK8sVersion(minor: number): string {
  return `1.${minor}`;
}
