import { deployerRules, mergeRules, rulesAllow } from './rbac';

describe('deployerRules', () => {
  it('holds every rule the bootstrap grants, each API group and resource once', () => {
    const granted = [
      {
        apiGroups: ['policy'],
        resources: ['poddisruptionbudgets'],
        verbs: ['get', 'patch'],
      },
      // Already in the base rules with fewer verbs: merged, not repeated.
      {
        apiGroups: [''],
        resources: ['persistentvolumeclaims', 'events'],
        verbs: ['delete', 'watch'],
      },
    ];
    const rules = deployerRules({
      poolProvidedServiceAccount: false,
      grantedRules: granted,
    });
    expect(rulesAllow(rules, 'policy', 'poddisruptionbudgets', 'patch')).toBe(
      true,
    );
    expect(rules.filter(r => r.resources.includes('events'))).toEqual([
      {
        apiGroups: [''],
        resources: ['events'],
        verbs: ['get', 'list', 'delete', 'watch'],
      },
    ]);
    expect(
      rules.find(r => r.resources.includes('persistentvolumeclaims'))?.verbs,
    ).toEqual(['get', 'create', 'update', 'patch', 'delete', 'watch']);
    const keys = rules.map(r => `${r.apiGroups[0]}/${r.resources[0]}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('mergeRules', () => {
  it('splits multi-group, multi-resource rules and unions their verbs', () => {
    expect(
      mergeRules([
        { apiGroups: ['a', 'b'], resources: ['x'], verbs: ['get'] },
        { apiGroups: ['a'], resources: ['x', 'y'], verbs: ['list', 'get'] },
      ]),
    ).toEqual([
      { apiGroups: ['a'], resources: ['x'], verbs: ['get', 'list'] },
      { apiGroups: ['b'], resources: ['x'], verbs: ['get'] },
      { apiGroups: ['a'], resources: ['y'], verbs: ['list', 'get'] },
    ]);
  });
});
