import { describe, expect, it } from 'vitest';
import {
  hasUrlCredentials,
  looksLikeSecretName,
  looksLikeSecretValue,
} from '../../src/config/secret-names.js';

describe('secret names and values', () => {
  it.each([
    ['DB_PASSWORD', true],
    ['POSTGRES_PASSWD', true],
    ['githubToken', true],
    ['AWS_SECRET_ACCESS_KEY', true],
    ['api-key', true],
    ['STRIPE_APIKEY', true],
    ['PRIVATE_KEY', true],
    ['NPM_AUTH_TOKEN', true],
    ['DB_PASSWORD_FILE', false],
    ['TOKEN_URL', false],
    ['GPG_KEY', false],
    ['SECRET_NAME', false],
    ['PASSWORD_MIN_LENGTH', false],
    ['KEYBOARD_LAYOUT', false],
    ['BYPASS_CACHE', false],
  ])('%s → %s', (name, expected) => {
    expect(looksLikeSecretName(name)).toBe(expected);
  });

  it('tells secrets from switches and file paths', () => {
    expect(['hunter2', 'changeme', 's3cr3t/with/slash x'].map(looksLikeSecretValue)).toEqual([
      true,
      true,
      true,
    ]);
    expect(
      ['', 'yes', 'FALSE', '1', '/run/secrets/db', '/etc/app/token.txt'].map(looksLikeSecretValue),
    ).toEqual([false, false, false, false, false, false]);
  });

  it('finds passwords in URLs', () => {
    expect(hasUrlCredentials('postgres://app:pw@db:5432/app')).toBe(true);
    expect(hasUrlCredentials('https://user@example.com/')).toBe(false);
    expect(hasUrlCredentials('https://example.com/a:b@c')).toBe(false);
  });
});
