import { randomUUID } from 'node:crypto';
import type { Severity } from '../../types.js';
import type { Priority } from '../rules/priority.js';
import type { Alert } from '../rules/ruleset.js';
import type { Suppression } from './rate-limit.js';

/**
 * What every alert output carries, one JSON object per alert: Falco's JSON output keys
 * (`output`, `priority`, `rule`, `time`, `output_fields`, `tags`, `source`, `hostname`) and
 * Ringfence's own (`id`, `epoch_ms`, `severity`, `remediation`, `evt`, `proc`, `fd`,
 * `container`, `k8s`), whose field names follow `Event`. The process environment is never
 * copied (it may hold secrets) unless a rule's output names a variable.
 */
export interface AlertRecord {
  /** Unique per alert, so a receiver can drop a copy a retry delivered twice. */
  id: string;
  time: string;
  /** The event's time, milliseconds since the Unix epoch (fractional). */
  epoch_ms: number;
  hostname: string;
  source: 'syscall';
  rule: string;
  priority: Priority;
  severity: Severity;
  tags: readonly string[];
  output: string;
  output_fields: Alert['outputFields'];
  remediation?: string;
  evt: { type: string; res?: number };
  proc: {
    pid: number;
    ppid: number;
    name: string;
    exe: string;
    exepath?: string;
    cmdline: string;
    uid: number;
    user?: string;
    /** Parent first. */
    ancestors: { pid: number; name: string; exe?: string; exepath?: string; cmdline?: string }[];
  };
  fd?: {
    num?: number;
    name?: string;
    type?: string;
    l4proto?: string;
    cip?: string;
    cport?: number;
    sip?: string;
    sport?: number;
  };
  /** A host process has `{id: 'host', name: 'host'}`, as Falco's container fields say. */
  container: { id: string; name?: string; image?: string; imageDigest?: string; privileged?: boolean };
  k8s?: { ns?: string; pod?: string };
}

/** The periodic note of alerts a rule's rate limit held back: alert-shaped, without an event. */
export interface SuppressionRecord {
  id: string;
  time: string;
  epoch_ms: number;
  hostname: string;
  source: 'ringfence';
  rule: string;
  priority: Priority;
  severity: Severity;
  tags: readonly string[];
  /** `rule NAME: K alerts suppressed` */
  output: string;
  output_fields: Record<string, never>;
  suppressed: { count: number; since: string; limitPerMinute: number };
}

/** The agent itself could not see everything: capture was down for a while, or events were lost. */
export interface CaptureRecord {
  id: string;
  time: string;
  epoch_ms: number;
  hostname: string;
  source: 'ringfence';
  rule: 'Ringfence capture gap' | 'Ringfence events lost';
  priority: Priority;
  severity: Severity;
  tags: readonly string[];
  output: string;
  output_fields: Record<string, never>;
  capture: { from: string; to: string; lost?: number; reason?: string };
}

export type SinkRecord = AlertRecord | SuppressionRecord | CaptureRecord;

export interface CaptureProblem {
  kind: 'gap' | 'lost';
  from: number;
  to: number;
  /** Events lost (kind `lost`). */
  lost?: number;
  /** Why capture stopped (kind `gap`). */
  reason?: string;
}

export function captureRecord(p: CaptureProblem, hostname: string): CaptureRecord {
  const seconds = ((p.to - p.from) / 1000).toFixed(1);
  return {
    id: randomUUID(),
    time: new Date(p.to).toISOString(),
    epoch_ms: p.to,
    hostname,
    source: 'ringfence',
    rule: p.kind === 'gap' ? 'Ringfence capture gap' : 'Ringfence events lost',
    priority: 'Warning',
    severity: 'MEDIUM',
    tags: ['ringfence', 'capture'],
    output:
      p.kind === 'gap'
        ? `kernel capture was down for ${seconds} s (${p.reason}); events in that time were not seen`
        : `${p.lost} records (events and their strings) lost by kernel capture in ${seconds} s (buffers full)`,
    output_fields: {},
    capture: {
      from: new Date(p.from).toISOString(),
      to: new Date(p.to).toISOString(),
      ...(p.lost !== undefined ? { lost: p.lost } : {}),
      ...(p.reason !== undefined ? { reason: p.reason } : {}),
    },
  };
}

const HOST_CONTAINER = Object.freeze({ id: 'host', name: 'host' });

/** The record of an alert. Absent event fields are undefined here, so JSON leaves them out. */
export function alertRecord(alert: Alert, hostname: string): AlertRecord {
  const { proc: p, fd, container: c, k8s } = alert.event;
  return {
    id: randomUUID(),
    time: alert.time,
    epoch_ms: alert.event.ts,
    hostname,
    source: alert.source,
    rule: alert.rule,
    priority: alert.priority,
    severity: alert.severity,
    tags: alert.tags,
    output: alert.output,
    output_fields: alert.outputFields,
    remediation: alert.remediation,
    evt: { type: alert.event.type, res: alert.event.evt.res },
    proc: {
      pid: p.pid,
      ppid: p.ppid,
      name: p.name,
      exe: p.exe,
      exepath: p.exepath,
      cmdline: p.cmdline,
      uid: p.uid,
      user: p.user,
      ancestors: (p.ancestors ?? []).map((a) => ({
        pid: a.pid,
        name: a.name,
        exe: a.exe,
        exepath: a.exepath,
        cmdline: a.cmdline,
      })),
    },
    fd: fd && {
      num: fd.num,
      name: fd.name,
      type: fd.type,
      l4proto: fd.l4proto,
      cip: fd.cip,
      cport: fd.cport,
      sip: fd.sip,
      sport: fd.sport,
    },
    container: c
      ? { id: c.id, name: c.name, image: c.image, imageDigest: c.imageDigest, privileged: c.privileged }
      : HOST_CONTAINER,
    k8s: k8s && { ns: k8s.ns, pod: k8s.pod },
  };
}

export function suppressionRecord(
  s: Suppression,
  limitPerMinute: number,
  hostname: string,
  now: Date,
): SuppressionRecord {
  return {
    id: randomUUID(),
    time: now.toISOString(),
    epoch_ms: now.getTime(),
    hostname,
    source: 'ringfence',
    rule: s.rule,
    priority: s.priority,
    severity: s.severity,
    tags: s.tags,
    output: `rule ${s.rule}: ${s.count} alerts suppressed`,
    output_fields: {},
    suppressed: { count: s.count, since: new Date(s.since).toISOString(), limitPerMinute },
  };
}
