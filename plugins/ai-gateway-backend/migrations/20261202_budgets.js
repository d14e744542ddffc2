// @ts-check

/**
 * Budgets: the budget objects (as the other objects: the validated object as
 * JSON in `spec`, a version for optimistic concurrency) and their state per
 * window, which the evaluation task (one replica at a time) keeps: spend,
 * the soft thresholds already notified, since when the limit is exceeded.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('aigw_budgets', t => {
    t.string('name', 63).primary();
    t.string('scope_kind', 16).notNullable();
    t.string('scope_name').notNullable();
    t.integer('version').notNullable();
    t.text('spec').notNullable();
    t.string('created_by').notNullable();
    t.string('updated_by').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.index(['scope_kind', 'scope_name'], 'aigw_budgets_scope_idx');
  });
  await knex.schema.createTable('aigw_budget_state', t => {
    t.string('budget', 63).notNullable();
    // Milliseconds since the epoch (UTC): compared across replicas and databases.
    t.bigInteger('window_start').notNullable();
    t.bigInteger('window_end').notNullable();
    t.double('spent').notNullable();
    t.double('limit_amount').notNullable();
    t.string('unit', 8).notNullable();
    // JSON array of the soft thresholds notified in this window.
    t.text('notified_thresholds').notNullable();
    t.bigInteger('exceeded_since').nullable();
    t.bigInteger('evaluated_at').nullable();
    t.text('details').nullable();
    t.primary(['budget', 'window_start']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTableIfExists('aigw_budget_state');
  await knex.schema.dropTableIfExists('aigw_budgets');
};
