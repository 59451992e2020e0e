import type { EntryLocation } from '../engine/yaml.js';
import type { InterpolationRecord } from './interpolate.js';

export type ComposeValue = Record<string, unknown>;

/** A parsed Compose file, as every Compose check receives it. */
export interface ComposeFile {
  /** The document after interpolation. */
  root: ComposeValue;
  services: ComposeService[];
  interpolation: InterpolationRecord;
}

export interface ComposeService {
  name: string;
  /** The effective configuration: this service merged over the services it extends in this file. */
  config: ComposeValue;
  /** Line of the service's name; `endLine` is the end of its definition. */
  line: number;
  endLine: number;
  /**
   * False when this file holds only part of the service: it has neither image nor build (an
   * override file), or it extends a service in another file. Checks for something missing
   * skip such services; what is present is still checked.
   */
  complete: boolean;
  /** Where a setting is written: `locate(['deploy', 'resources'])`, `locate(['ports', 2])`; own definition first, then extended ones. */
  locate(path: readonly (string | number)[]): EntryLocation | undefined;
  /** The container and key holding the value at `path` as written (for InterpolationRecord). */
  holder(path: readonly (string | number)[]): { container: object; key: string | number } | undefined;
}
