import type { PssControl } from '../control.js';
import {
  appArmorProfile,
  procMount,
  procMountRestricted,
  seccompProfileBaseline,
  seccompProfileRestricted,
  seLinuxOptions,
  sysctls,
} from './confinement.js';
import { hostNamespaces, hostPorts, hostProbesAndHostLifecycle, windowsHostProcess } from './host.js';
import {
  allowPrivilegeEscalation,
  capabilitiesBaseline,
  capabilitiesRestricted,
  privileged,
  runAsNonRoot,
  runAsUser,
} from './privileges.js';
import { hostPathVolumes, restrictedVolumes } from './volumes.js';

/** Every Pod Security Standards control of the upstream admission, baseline first, in rule-id order. */
export const pssControls: readonly PssControl[] = [
  privileged,
  hostNamespaces,
  capabilitiesBaseline,
  hostPathVolumes,
  hostPorts,
  hostProbesAndHostLifecycle,
  appArmorProfile,
  seLinuxOptions,
  procMount,
  seccompProfileBaseline,
  sysctls,
  windowsHostProcess,
  restrictedVolumes,
  allowPrivilegeEscalation,
  runAsNonRoot,
  runAsUser,
  seccompProfileRestricted,
  capabilitiesRestricted,
  procMountRestricted,
];

/** The Kubernetes minor version of the newest policy change: newer versions evaluate as this one. */
export const NEWEST_POLICY_MINOR = Math.max(...pssControls.flatMap((c) => c.versions.map((v) => v.since)));
