import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, ConfigSchema, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('has working defaults for an empty environment: embedded database on port 3000', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 3000,
      HOST: '0.0.0.0',
      DATA_DIR: './data',
      ROLE: 'all',
      LOG_LEVEL: 'info',
      SEED_DEMO_DATA: 'auto',
      CORS_ORIGINS: [],
      METRICS_ENABLED: true,
    });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.REDIS_URL).toBeUndefined();
  });

  it('parses numbers, lists and flags', () => {
    const config = loadConfig({
      PORT: '8080',
      DATABASE_URL: 'postgresql://souk:secret@db:5432/souk',
      REDIS_URL: 'redis://cache:6379/0',
      CORS_ORIGINS: 'https://a.example, https://b.example',
      METRICS_ENABLED: 'false',
    });
    expect(config.PORT).toBe(8080);
    expect(config.CORS_ORIGINS).toEqual(['https://a.example', 'https://b.example']);
    expect(config.METRICS_ENABLED).toBe(false);
  });

  it('treats an empty variable as unset', () => {
    const config = loadConfig({ PORT: '', DATABASE_URL: '' });
    expect(config.PORT).toBe(3000);
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it.each([
    ['PORT', 'abc', /^Invalid configuration: PORT must be a whole number between 0 and 65535 \(got "abc"\)$/],
    [
      'PORT',
      '70000',
      /^Invalid configuration: PORT must be a whole number between 0 and 65535 \(got "70000"\)$/,
    ],
    ['PORT', '80.5', /^Invalid configuration: PORT must be a whole number/],
    [
      'DATABASE_URL',
      'mysql://root@localhost/souk',
      /^Invalid configuration: DATABASE_URL must be a postgres:\/\//,
    ],
    ['DATABASE_URL', 'not a url', /^Invalid configuration: DATABASE_URL must be a postgres:\/\//],
    ['REDIS_URL', 'http://cache', /^Invalid configuration: REDIS_URL must be a redis:\/\//],
    [
      'DATABASE_REPLICA_URLS',
      'postgres://a/souk,mysql://b/souk',
      /^Invalid configuration: DATABASE_REPLICA_URLS.* must list postgres:\/\//,
    ],
    [
      'OTEL_EXPORTER_OTLP_ENDPOINT',
      'grpc://collector:4317',
      /^Invalid configuration: OTEL_EXPORTER_OTLP_ENDPOINT must be an http/,
    ],
    ['ROLE', 'boss', /^Invalid configuration: ROLE /],
    ['LOG_LEVEL', 'loud', /^Invalid configuration: LOG_LEVEL /],
  ])('refuses %s=%s with one line naming the variable', (name, value, message) => {
    let error: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });

  it('names every bad variable at once and never prints a password', () => {
    expect(() => loadConfig({ PORT: '-1', DATABASE_URL: 'mysql://souk:hunter2@db/souk' })).toThrow(
      /PORT .*; DATABASE_URL .*mysql:\/\/souk:\*\*\*@db\/souk/,
    );
    expect(() => loadConfig({ DATABASE_URL: 'mysql://souk:hunter2@db/souk' })).not.toThrow(/hunter2/);
  });

  it('.env.example lists exactly the variables the schema reads', () => {
    const example = readFileSync(new URL('../../../../.env.example', import.meta.url), 'utf8');
    const listed = [...example.matchAll(/^#?\s?([A-Z][A-Z0-9_]+)=/gm)].map((match) => match[1]);
    expect(new Set(listed)).toEqual(new Set(Object.keys(ConfigSchema.shape)));
  });
});
