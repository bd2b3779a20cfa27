import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../../..');
// js-yaml is the YAML reader electron-builder itself loads this file with.
const yaml = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };

interface BuilderConfig {
  electronFuses?: Record<string, boolean>;
  nsis?: Record<string, unknown>;
  publish?: { provider: string; url: string }[];
  asarUnpack?: string[];
  asar?: boolean;
}
const config = yaml.load(readFileSync(resolve(ROOT, 'electron-builder.yml'), 'utf8')) as BuilderConfig;

describe('the packaging config (electron-builder.yml)', () => {
  it('sets the Electron fuses: no running as Node, no NODE_OPTIONS or --inspect, only the checked app.asar, encrypted cookies', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeCliInspectArguments: false,
      enableNodeOptionsEnvironmentVariable: false,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
    });
    expect(config.asar).not.toBe(false); // OnlyLoadAppFromAsar needs the app in an asar
  });

  it('installs per user by default (no administrator rights), per machine as an option', () => {
    expect(config.nsis).toMatchObject({ oneClick: false, perMachine: false, selectPerMachineByDefault: false });
  });

  it('updates through the generic provider (an intranet folder or server)', () => {
    expect(config.publish?.[0]?.provider).toBe('generic');
  });
});
