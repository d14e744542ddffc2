// @ts-check

/**
 * The live contracts of MCP servers (their tools, resources and prompts as
 * read with an MCP client): a row per contract seen, added only when the
 * contract's hash changes. The newest row of a server also says when the
 * server was last checked and what the last check failed with.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('aigw_mcp_contract_snapshots', t => {
    t.string('server', 63).notNullable();
    // 1, 2, 3… per server: replicas insert `newest + 1`, and the one whose
    // insert lands records the change (and notifies) once.
    t.integer('seq').notNullable();
    // Null while no check of the server has succeeded yet.
    t.string('hash', 80).nullable();
    t.text('contract').nullable();
    t.string('risk_class', 16).nullable();
    // Milliseconds since the epoch (UTC): when this contract was first seen.
    t.bigInteger('observed_at').notNullable();
    t.bigInteger('last_checked_at').notNullable();
    // What the last check failed with; null when it succeeded.
    t.text('error').nullable();
    t.primary(['server', 'seq']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTableIfExists('aigw_mcp_contract_snapshots');
};
