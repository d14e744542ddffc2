// @ts-check

/**
 * Several backend replicas on one database: leases say which replica runs a
 * piece of work that must run once (a pool's direct reconcile, loading the
 * demo data), and a generation on each pool status lets replicas update it
 * with compare-and-set instead of overwriting each other.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('aigw_leases', t => {
    t.string('key', 200).primary();
    t.string('holder', 64).notNullable();
    // Milliseconds since the epoch: compared across replicas, no time zones.
    t.bigInteger('expires_at').notNullable();
  });
  await knex.schema.alterTable('aigw_pool_status', t => {
    t.integer('generation').notNullable().defaultTo(0);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('aigw_pool_status', t => {
    t.dropColumn('generation');
  });
  await knex.schema.dropTableIfExists('aigw_leases');
};
