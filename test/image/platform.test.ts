import { describe, expect, it } from 'vitest';
import { formatPlatform, hostPlatform, parsePlatform, platformMatches } from '../../src/image/platform.js';

describe('platforms', () => {
  it('parses and normalises os/arch/variant', () => {
    expect(parsePlatform('linux/amd64')).toEqual({ os: 'linux', architecture: 'amd64', variant: undefined });
    expect(parsePlatform('linux/aarch64')).toEqual({ os: 'linux', architecture: 'arm64', variant: 'v8' });
    expect(formatPlatform(parsePlatform('linux/arm/v6'))).toBe('linux/arm/v6');
    for (const bad of ['linux', 'linux/', 'a/b/c/d', 'linux/amd 64'])
      expect(() => parsePlatform(bad)).toThrow(/expected os\/arch/);
  });

  it('matches variants as containerd does', () => {
    const arm64 = { os: 'linux', architecture: 'arm64' };
    expect(platformMatches(parsePlatform('linux/arm64'), arm64)).toBe(true);
    expect(platformMatches(parsePlatform('linux/arm64/v8'), { ...arm64, variant: 'v8' })).toBe(true);
    expect(
      platformMatches(parsePlatform('linux/arm/v7'), { os: 'linux', architecture: 'arm', variant: 'v6' }),
    ).toBe(false);
    expect(
      platformMatches(
        { os: 'linux', architecture: 'amd64' },
        { os: 'linux', architecture: 'amd64', variant: 'v3' },
      ),
    ).toBe(true);
    expect(platformMatches(parsePlatform('linux/amd64'), { os: 'windows', architecture: 'amd64' })).toBe(
      false,
    );
  });

  it('knows this machine', () => {
    expect(hostPlatform().os).toBe('linux');
    if (process.arch === 'x64') expect(hostPlatform().architecture).toBe('amd64');
  });
});
