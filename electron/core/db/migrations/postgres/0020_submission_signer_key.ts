import { sql, type Kysely } from 'kysely';

/** PostgreSQL form of 0020_submission_signer_key: the public key that verified an imported package. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE sub_packages ADD COLUMN IF NOT EXISTS signer_key_pem TEXT`.execute(db);
}
