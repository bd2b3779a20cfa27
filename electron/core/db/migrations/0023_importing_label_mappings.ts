import type { Kysely } from 'kysely';

/**
 * The import mapping step's memory: a label a hub's file uses for an entry of one of its lists (文艺 for the
 * 活动领域 entry 文体娱乐), chosen once in an import preview and applied by every importer to the next files.
 * `vocabulary` names the list (a dictionary kind such as `org_field`, or a fixed list such as `registered_kind`),
 * `label` is the label as compared (full-width folded, no spaces), `code` the entry it means.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('import_label_mappings')
    .ifNotExists()
    .addColumn('vocabulary', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('import_label_mappings_pk', ['vocabulary', 'label'])
    .execute();
}
