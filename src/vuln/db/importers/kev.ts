import { inputError } from '../../../util/errors.js';
import type { SourceWriter } from '../builder.js';
import { isJsonObject, JsonSyntaxError, streamJsonValues } from '../json-stream.js';

/**
 * CISA's Known Exploited Vulnerabilities catalog
 * (https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json):
 * { catalogVersion, vulnerabilities: [ { cveID, dateAdded, dueDate, knownRansomwareCampaignUse,
 * vulnerabilityName, … } ] }.
 */
export async function importKev(
  writer: SourceWriter,
  bytes: AsyncIterable<Uint8Array>,
  label: string,
): Promise<void> {
  let sawCatalog = false;
  try {
    for await (const { path, value } of streamJsonValues(bytes, { depth: 2, maxValueChars: 1024 * 1024 })) {
      if (path[0] !== 'vulnerabilities' || path.length !== 2) continue;
      sawCatalog = true;
      const cve = isJsonObject(value) ? value.cveID : undefined;
      const dateAdded = isJsonObject(value) ? value.dateAdded : undefined;
      if (
        !isJsonObject(value) ||
        typeof cve !== 'string' ||
        !/^CVE-\d{4}-\d+$/.test(cve) ||
        typeof dateAdded !== 'string'
      ) {
        writer.warn(`${label}: vulnerabilities[${path[1]}] has no valid cveID and dateAdded`);
        continue;
      }
      writer.addKev({
        cve,
        dateAdded,
        ...(typeof value.dueDate === 'string' ? { dueDate: value.dueDate } : {}),
        knownRansomware: value.knownRansomwareCampaignUse === 'Known',
        ...(typeof value.vulnerabilityName === 'string' ? { name: value.vulnerabilityName } : {}),
      });
    }
  } catch (err) {
    if (err instanceof JsonSyntaxError) throw inputError(label, `invalid JSON: ${err.message}`, err);
    throw err;
  }
  if (!sawCatalog) throw inputError(label, "not a KEV catalog (no 'vulnerabilities' list)");
}
