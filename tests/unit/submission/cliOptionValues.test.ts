import { describe, expect, it } from 'vitest';
import { makeCliContext } from '../../../electron/cli/context';

/**
 * A command's positionals (the files of submission:verify/import, the file of trainee-import …) never include the
 * value of an option: `--database postgres://…` (the hub on PostgreSQL) was read as a second file to verify.
 */
describe('CLI option values are not positionals', () => {
  it('--database and its URL, in any position', () => {
    const url = 'postgres://postgres@127.0.0.1:5432/hub';
    expect(makeCliContext(['submission:verify', 'in', '--data-dir', '/d', '--database', url]).positionals).toEqual(['in']);
    expect(makeCliContext(['submission:import', '--database', url, 'a.incubase', 'b.incubase']).positionals).toEqual(['a.incubase', 'b.incubase']);
    expect(makeCliContext(['trainee-import', `--database=${url}`, 'x.csv']).positionals).toEqual(['x.csv']);
    expect(makeCliContext(['submission:list', '--database', url]).option('--database')).toBe(url);
  });
});
