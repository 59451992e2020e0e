import { inputError } from '../../../util/errors.js';
import type { SourceWriter } from '../builder.js';

/**
 * FIRST's EPSS scores (https://epss.empiricalsecurity.com/epss_scores-current.csv.gz): an
 * optional "#model_version:…,score_date:…" line, a "cve,epss,percentile" header, then one
 * line per CVE. Read line by line from the (gunzipped) stream.
 */
export async function importEpss(
  writer: SourceWriter,
  bytes: AsyncIterable<Uint8Array>,
  label: string,
): Promise<void> {
  const decoder = new TextDecoder();
  let pending = '';
  let lineNo = 0;
  let columns: { cve: number; epss: number; percentile: number } | undefined;
  const line = (text: string) => {
    lineNo++;
    const row = text.trim();
    if (row === '' || row.startsWith('#')) return;
    const cells = row.split(',');
    if (!columns) {
      const at = (name: string) => cells.indexOf(name);
      columns = { cve: at('cve'), epss: at('epss'), percentile: at('percentile') };
      if (columns.cve < 0 || columns.epss < 0 || columns.percentile < 0)
        throw inputError(label, `line ${lineNo}: not an EPSS CSV (expected a cve,epss,percentile header)`);
      return;
    }
    const cve = cells[columns.cve] ?? '';
    const score = Number(cells[columns.epss]);
    const percentile = Number(cells[columns.percentile]);
    if (
      !/^CVE-\d{4}-\d+$/.test(cve) ||
      !(score >= 0 && score <= 1) ||
      !(percentile >= 0 && percentile <= 1)
    ) {
      writer.warn(`${label}: line ${lineNo}: not a valid EPSS row`);
      return;
    }
    writer.addEpss({ cve, score, percentile });
  };
  for await (const chunk of bytes) {
    const lines = (pending + decoder.decode(chunk, { stream: true })).split('\n');
    pending = lines.pop() ?? '';
    if (pending.length > 64 * 1024) throw inputError(label, `line ${lineNo + 1} is longer than 64 KiB`);
    for (const l of lines) line(l);
  }
  line(pending + decoder.decode());
  if (!columns) throw inputError(label, 'not an EPSS CSV (no header line)');
}
