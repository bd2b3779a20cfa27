import { existsSync, readdirSync } from 'node:fs';
import { sql } from 'kysely';
import { generateHubKeyPair } from '../../electron/core/submission/package/keys';
import { importsDir } from '../../electron/core/submission/importService';
import { sample } from '../unit/submission/fixtures';
import { openHub } from '../integration/submission/helpers';
import { signedPackage } from '../integration/submission/zipcraft';

/** A county federation with the township hub `hub-a` registered, and signed packages of that hub. */
export async function federationWithMember() {
  const key = generateHubKeyPair();
  const f = await openHub('锦江区社区社会组织联合会', '510104', 'county');
  const keyFile = {
    format: 'incubase-hub-key',
    hubId: 'hub-a',
    hubName: '测试街道孵化基地',
    regionCode: '510104002000',
    level: 'township',
    publicKeyPem: key.publicKeyPem,
    fingerprint: key.fingerprint,
  };
  await f.call('submission.hubs.register', { keyFile: JSON.stringify(keyFile), contact: '', note: '' });
  const jsonl = (rows: unknown[]) => Buffer.from(rows.map((r) => `${JSON.stringify(r)}\n`).join(''), 'utf8');
  /** A package of hub-a, properly signed, whatever its package id. */
  const pkg = (packageId: string, createdAt = '2026-10-08T03:00:00.000Z') =>
    signedPackage({ privateKeyPem: key.privateKeyPem, packageId, createdAt, payload: [{ name: 'data/organizations.jsonl', data: jsonl(sample('hub-a').organizations) }] }).zip;
  const upload = (name: string, zip: Buffer) => ({ name, base64: zip.toString('base64') });
  const keptFiles = () => (existsSync(importsDir(f.dataDir)) ? readdirSync(importsDir(f.dataDir)).sort() : []);
  const counts = async () =>
    (
      await sql<{ p: number; r: number; o: number; a: number }>`SELECT (SELECT count(*) FROM sub_packages) AS p, (SELECT count(*) FROM sub_records) AS r,
      (SELECT count(*) FROM sub_package_origins) AS o, (SELECT count(*) FROM audit_log WHERE entity = 'submission_package') AS a`.execute(f.core.db)
    ).rows[0];
  return { f, key, pkg, upload, keptFiles, counts, orgCount: sample('hub-a').organizations.length };
}
