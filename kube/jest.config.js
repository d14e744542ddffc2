// The real-cluster tier: delivery against a real kube-apiserver and etcd built
// from the Go module proxy (scripts/kube.sh; see README.md). Run by
// scripts/test-all.sh after the two-replica tier; on its own:
//   source scripts/env.sh && jest -c kube/jest.config.js
module.exports = require('../scripts/jest.tier.config.js')(__dirname);
