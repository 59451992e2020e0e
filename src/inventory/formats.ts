import type { Inventory, Package } from '../types.js';
import { buildCycloneDx, serializeCycloneDx } from './sbom/cyclonedx/build.js';
import { buildSpdx, serializeSpdx } from './sbom/spdx/build.js';

/**
 * Renderers for `ringfence sbom --format`. Adding a format is one function and one entry in
 * `sbomFormats`; the command lists the keys as its choices.
 */
type SbomRenderer = (inventory: Inventory) => string;

export const sbomFormats: Record<string, SbomRenderer> = {
  json: (inventory) => `${JSON.stringify(inventory, null, 2)}\n`,
  table: renderTable,
  cyclonedx: (inventory) => serializeCycloneDx(buildCycloneDx(inventory)),
  'spdx-json': (inventory) => serializeSpdx(buildSpdx(inventory)),
};

const COLUMNS: { head: string; cell: (p: Package) => string }[] = [
  { head: 'NAME', cell: (p) => p.name },
  { head: 'VERSION', cell: (p) => p.version },
  { head: 'TYPE', cell: (p) => p.ecosystem },
  { head: 'LAYER', cell: (p) => (p.layer ? String(p.layer.index + 1) : '') },
  {
    head: 'PATH',
    cell: (p) =>
      p.ecosystem === 'deb' || p.ecosystem === 'rpm' || p.ecosystem === 'apk' ? '' : (p.paths[0] ?? ''),
  },
];

function renderTable(inventory: Inventory): string {
  const s = inventory.source;
  const os = inventory.os
    ? `  ${inventory.os.prettyName ?? `${inventory.os.family} ${inventory.os.version}`}`
    : '';
  const lines = [`${s.type} ${s.ref}${os}`];
  if (inventory.packages.length === 0) return `${lines[0]}\nNo packages found.\n`;
  const rows = inventory.packages.map((p) => COLUMNS.map((c) => oneLine(c.cell(p))));
  const widths = COLUMNS.map((c, i) => Math.max(c.head.length, ...rows.map((r) => r[i]!.length)));
  const format = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  lines.push(format(COLUMNS.map((c) => c.head)), ...rows.map(format));
  lines.push(`${inventory.packages.length} packages`);
  return `${lines.join('\n')}\n`;
}

/** Package data comes from the image: control characters must not reach the terminal. */
function oneLine(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}
