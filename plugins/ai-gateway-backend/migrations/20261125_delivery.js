// @ts-check

/**
 * Delivery state: what each pool runs and how healthy it is (the latest
 * heartbeat and the derived phase/conditions), and the bundles that were
 * delivered, by revision, so a diff against what runs needs no cluster access.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('aigw_pool_status', t => {
    t.string('pool', 63).primary();
    t.string('phase', 16).notNullable();
    t.timestamp('phase_since', { useTz: true }).notNullable();
    t.text('conditions').notNullable();
    t.text('heartbeat').nullable();
    t.string('desired_revision', 128).nullable();
    t.timestamp('sync_requested_at', { useTz: true }).nullable();
    t.timestamp('reseed_requested_at', { useTz: true }).nullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
  });
  await knex.schema.createTable('aigw_pool_revisions', t => {
    t.string('pool', 63).notNullable();
    t.string('revision', 128).notNullable();
    t.text('bundle').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.primary(['pool', 'revision']);
    t.index(['pool', 'created_at'], 'aigw_pool_revisions_pool_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTableIfExists('aigw_pool_revisions');
  await knex.schema.dropTableIfExists('aigw_pool_status');
};
