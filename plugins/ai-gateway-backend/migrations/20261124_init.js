// @ts-check

/**
 * The control plane's store. Each kind of object has its own table with the
 * columns the API filters on (and the unique rules the API promises), plus the
 * full validated object as JSON in `spec`. Integrity checks also run in the
 * service layer, so SQLite and PostgreSQL behave the same whether or not
 * foreign keys are enforced.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  const common = (/** @type {import('knex').Knex.CreateTableBuilder} */ t) => {
    t.integer('version').notNullable();
    t.text('spec').notNullable();
    t.string('created_by').notNullable();
    t.string('updated_by').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
  };

  await knex.schema.createTable('aigw_projects', t => {
    t.string('name', 63).primary();
    t.string('owner').notNullable().index();
    common(t);
  });

  await knex.schema.createTable('aigw_pools', t => {
    t.string('name', 63).primary();
    t.string('project', 63)
      .notNullable()
      .references('name')
      .inTable('aigw_projects');
    t.string('cluster').notNullable();
    t.string('namespace', 63).notNullable();
    t.string('delivery_mode', 16).notNullable();
    // sha256 of the current enrollment token; the token itself is never stored.
    t.string('token_hash', 64).nullable();
    t.timestamp('token_issued_at', { useTz: true }).nullable();
    common(t);
    t.unique(['cluster', 'namespace'], {
      indexName: 'aigw_pools_cluster_namespace_uq',
    });
    t.index(['project', 'name'], 'aigw_pools_project_idx');
  });

  await knex.schema.createTable('aigw_mcp_servers', t => {
    t.string('name', 63).primary();
    t.string('project', 63)
      .notNullable()
      .references('name')
      .inTable('aigw_projects');
    t.string('pool', 63).notNullable().references('name').inTable('aigw_pools');
    t.string('prefix', 63).notNullable();
    common(t);
    t.unique(['pool', 'prefix'], {
      indexName: 'aigw_mcp_servers_pool_prefix_uq',
    });
    t.index(['pool', 'name'], 'aigw_mcp_servers_pool_idx');
    t.index(['project', 'name'], 'aigw_mcp_servers_project_idx');
  });

  await knex.schema.createTable('aigw_ai_backends', t => {
    t.string('name', 63).primary();
    t.string('project', 63)
      .notNullable()
      .references('name')
      .inTable('aigw_projects');
    t.string('pool', 63).notNullable().references('name').inTable('aigw_pools');
    common(t);
    t.index(['pool', 'name'], 'aigw_ai_backends_pool_idx');
    t.index(['project', 'name'], 'aigw_ai_backends_project_idx');
  });

  await knex.schema.createTable('aigw_policies', t => {
    t.string('name', 63).primary();
    t.string('project', 63)
      .notNullable()
      .references('name')
      .inTable('aigw_projects');
    t.string('pool', 63).notNullable().references('name').inTable('aigw_pools');
    t.string('target_kind', 16).notNullable();
    t.string('target_name', 63).notNullable();
    common(t);
    t.index(['pool', 'name'], 'aigw_policies_pool_idx');
    t.index(['project', 'name'], 'aigw_policies_project_idx');
  });

  // The per-object event log: who changed what, when (a JSON patch between
  // the versions; objects hold secret references only, never values).
  await knex.schema.createTable('aigw_events', t => {
    t.bigIncrements('id').primary();
    t.string('kind', 32).notNullable();
    t.string('name', 63).notNullable();
    t.string('project', 63).nullable();
    t.string('action', 32).notNullable();
    t.string('actor').notNullable();
    t.integer('version').nullable();
    t.text('changes').nullable();
    t.text('message').nullable();
    t.timestamp('at', { useTz: true }).notNullable();
    t.index(['kind', 'name', 'id'], 'aigw_events_object_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  for (const table of [
    'aigw_events',
    'aigw_policies',
    'aigw_ai_backends',
    'aigw_mcp_servers',
    'aigw_pools',
    'aigw_projects',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
};
