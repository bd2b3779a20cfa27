import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoDataDir, parseStartArgs, switchHubArgs, windowTitle } from '../../../electron/node/dataDir';

const USER_DATA = resolve('/home/staff/.config/Incubase');
const noEnv = {} as NodeJS.ProcessEnv;

describe('start options', () => {
  it('the installed desktop app opens an empty hub (first-run setup) in the real folder', () => {
    const o = parseStartArgs([], noEnv, { host: 'desktop', userDataDir: USER_DATA });
    expect(o).toMatchObject({ dataDir: USER_DATA, seed: 'empty', demo: false });
  });

  it('--demo opens the demo hub in its own folder, never the real one', () => {
    const o = parseStartArgs(['--demo'], noEnv, { host: 'desktop', userDataDir: USER_DATA });
    expect(o).toMatchObject({ dataDir: join(USER_DATA, 'demo'), seed: 'demo', demo: true });
    expect(o.dataDir).not.toBe(USER_DATA);
    const withDir = parseStartArgs(['--data-dir', '/srv/hub', '--demo'], noEnv, { host: 'desktop', userDataDir: USER_DATA });
    expect(withDir.dataDir).toBe(demoDataDir('/srv/hub'));
    expect(withDir.dataDir).not.toBe(resolve('/srv/hub'));
  });

  it('a data folder from the environment is still the real one for the desktop app: empty unless --demo', () => {
    const env = { INCUBASE_DATA_DIR: '/srv/hub' } as NodeJS.ProcessEnv;
    expect(parseStartArgs([], env, { host: 'desktop', userDataDir: USER_DATA })).toMatchObject({ dataDir: resolve('/srv/hub'), seed: 'empty', demo: false });
  });

  it('npm run web keeps opening the demo, in the demo folder unless a folder is named', () => {
    expect(parseStartArgs([], noEnv, { host: 'web', userDataDir: USER_DATA })).toMatchObject({ dataDir: join(USER_DATA, 'demo'), seed: 'demo', demo: true, port: 5178 });
    expect(parseStartArgs(['--data-dir=/tmp/x', '--port', '5231'], noEnv, { host: 'web', userDataDir: USER_DATA })).toMatchObject({ dataDir: resolve('/tmp/x'), seed: 'demo', port: 5231 });
    expect(parseStartArgs(['--empty'], noEnv, { host: 'web', userDataDir: USER_DATA })).toMatchObject({ dataDir: USER_DATA, seed: 'empty', demo: false });
  });

  it('先看看演示 restarts with --demo; leaving the demo drops it', () => {
    expect(switchHubArgs(['--data-dir', 'D', '--empty'], 'demo')).toEqual(['--data-dir', 'D', '--demo']);
    expect(switchHubArgs(['--data-dir', 'D', '--demo'], 'real')).toEqual(['--data-dir', 'D']);
    expect(windowTitle(true)).toContain('演示');
    expect(windowTitle(false)).not.toContain('演示');
  });
});
