import { describe, expect, it } from 'vitest';
import { parseCvss } from '../../../src/vuln/cvss/index.js';
import { preferredCvss, priority, rate } from '../../../src/vuln/match/rating.js';

const V31_CRITICAL = parseCvss('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'); // 9.8
const V31_MEDIUM = parseCvss('CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:L/A:N'); // 4.2
const V2_HIGH = parseCvss('AV:N/AC:L/Au:N/C:P/I:P/A:P'); // 7.5
const V40 = parseCvss('CVSS:4.0/AV:N/AC:L/AT:P/PR:L/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N'); // 2.3

describe('severity', () => {
  it("takes the vendor's rating over CVSS, and says so", () => {
    const r = rate({ source: 'Debian', value: 'low', level: 'LOW' }, [V31_CRITICAL]);
    expect(r).toMatchObject({ severity: 'LOW', source: 'Debian' });
    expect(r.cvss?.score).toBe(9.8);
  });

  it('falls back to CVSS when the vendor gives no usable rating, newest CVSS version first', () => {
    expect(
      rate({ source: 'Debian', value: 'not yet assigned', level: 'UNKNOWN' }, [V2_HIGH, V31_MEDIUM]),
    ).toMatchObject({
      severity: 'MEDIUM',
      source: 'CVSS 3.1',
    });
    expect(preferredCvss([V31_CRITICAL, V40, V2_HIGH])?.version).toBe('4.0');
    expect(rate(undefined, [])).toEqual({ severity: 'UNKNOWN', source: 'none' });
  });
});

describe('priority = S + 10 × EPSS + (KEV ? 20 : 0)', () => {
  it('uses the CVSS score inside the band when CVSS agrees with the severity, else the band middle', () => {
    expect(priority(rate(undefined, [V31_CRITICAL]), undefined, false)).toBe(9.8);
    expect(
      priority(rate({ source: 'GHSA', value: 'HIGH', level: 'HIGH' }, [V31_CRITICAL]), undefined, false),
    ).toBe(8);
    expect(priority(rate(undefined, []), undefined, false)).toBe(0);
  });

  it('ranks known exploitation over likely exploitation over impact', () => {
    const critical = priority(rate(undefined, [V31_CRITICAL]), 0.01, false);
    const likely = priority(rate({ source: 'GHSA', value: 'HIGH', level: 'HIGH' }, []), 0.9, false);
    const exploited = priority(rate(undefined, [V31_MEDIUM]), 0.01, true);
    expect(likely).toBeGreaterThan(critical);
    expect(exploited).toBeGreaterThan(likely);
    expect(exploited).toBe(24.3);
  });
});
