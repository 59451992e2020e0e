import type { Severity } from '../../types.js';

/** Falco's eight priorities, most severe first, spelled as Falco prints them. */
export const PRIORITIES = [
  'Emergency',
  'Alert',
  'Critical',
  'Error',
  'Warning',
  'Notice',
  'Informational',
  'Debug',
] as const;
export type Priority = (typeof PRIORITIES)[number];

const BY_NAME = new Map<string, Priority>([
  ...PRIORITIES.map((p): [string, Priority] => [p.toLowerCase(), p]),
  ['info', 'Informational'],
]);

const SEVERITY: Record<Priority, Severity> = {
  Emergency: 'CRITICAL',
  Alert: 'CRITICAL',
  Critical: 'CRITICAL',
  Error: 'HIGH',
  Warning: 'MEDIUM',
  Notice: 'LOW',
  Informational: 'LOW',
  Debug: 'LOW',
};

/** Reads a priority as rules write it (any case; `info` for Informational). */
export function parsePriority(text: string): Priority | undefined {
  return BY_NAME.get(text.toLowerCase());
}

export function severityOf(priority: Priority): Severity {
  return SEVERITY[priority];
}

/** Is `p` at least as severe as `threshold`? */
export function atLeast(p: Priority, threshold: Priority): boolean {
  return PRIORITIES.indexOf(p) <= PRIORITIES.indexOf(threshold);
}
