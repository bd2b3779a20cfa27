import { sql, type Kysely } from 'kysely';

/**
 * The public key that verified an imported package (PEM), kept with it: a consolidated package hands each member's
 * original package on with the key that verified it, which after a key rotation is no longer the registered one.
 * Packages imported before this column have NULL (their hub's registered key is used).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const cols = await sql<{ name: string }>`PRAGMA table_info(sub_packages)`.execute(db);
  if (!cols.rows.some((c) => c.name === 'signer_key_pem')) await sql`ALTER TABLE sub_packages ADD COLUMN signer_key_pem TEXT`.execute(db);
}
