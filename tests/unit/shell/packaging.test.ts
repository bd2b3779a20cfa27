import { readdirSync, readFileSync } from 'node:fs';
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

describe('the packaged app has every package its main, core and office-server code loads', () => {
  // electron-vite externalizes `dependencies` (externalizeDepsPlugin) and electron-builder ships only those:
  // a package imported at run time by the Node side but listed under devDependencies is missing in the installer.
  const pkg = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  const files = (dir: string): string[] =>
    readdirSync(resolve(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? files(`${dir}/${e.name}`) : e.name.endsWith('.ts') ? [`${dir}/${e.name}`] : [],
    );
  const runtimeImports = (file: string) =>
    [...readFileSync(resolve(ROOT, file), 'utf8').matchAll(/^import\s+(?!type\s)[^'"]*?from\s+'([^'.@][^']*|@[^'/]+\/[^']+)'|^\s*(?:await\s+)?import\('([^'.][^']*)'\)/gm)]
      .map((m) => m[1] ?? m[2])
      .filter((s) => !s.startsWith('node:') && !s.startsWith('@shared/'))
      .map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]));

  it('lists fastify and its plugins (the office server inside the desktop app) and every other runtime import under dependencies', () => {
    const missing: string[] = [];
    for (const dir of ['electron/core', 'electron/host', 'electron/node', 'electron/main'])
      for (const file of files(dir))
        for (const name of runtimeImports(file)) if (name !== 'electron' && !pkg.dependencies[name]) missing.push(`${name} (${file})`);
    expect(missing).toEqual([]);
    for (const name of ['fastify', '@fastify/cookie', '@fastify/static', 'selfsigned']) expect(pkg.dependencies[name], name).toBeTruthy();
  });
});
