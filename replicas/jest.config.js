// The two-replica tier: two real packages/backend processes on one PostgreSQL
// behind a round-robin load balancer (see replicas.test.ts). Run by
// scripts/test-all.sh after the e2e tier; on its own:
//   source scripts/env.sh && jest -c replicas/jest.config.js
module.exports = require('../scripts/jest.tier.config.js')(__dirname);
