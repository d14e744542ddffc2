import { normalizeGroupRef, projectSchema } from './project';
import { issuesOf, validProject } from './testFixtures';

describe('projectSchema', () => {
  it.each([
    ['team-a', 'group:default/team-a'],
    ['group:team-a', 'group:default/team-a'],
    ['group:default/team-a', 'group:default/team-a'],
    ['group:ops/Team-A', 'group:ops/team-a'],
    ['  group:team-a ', 'group:default/team-a'],
  ])('normalises owner %j to %j', (owner, expected) => {
    expect(projectSchema.parse({ ...validProject, owner }).owner).toBe(
      expected,
    );
    expect(normalizeGroupRef(owner)).toBe(expected);
  });

  it('refuses owners that are not groups', () => {
    for (const owner of [
      'user:default/bob',
      'component:x',
      'group:',
      'a/b/c',
      '',
    ]) {
      expect(issuesOf(projectSchema, { ...validProject, owner })).toEqual([
        {
          field: 'owner',
          message:
            'must be a catalog group such as group:default/team-a, group:team-a or team-a',
        },
      ]);
    }
  });

  it('round-trips and requires name, title and owner', () => {
    const project = projectSchema.parse({
      ...validProject,
      description: 'Card processing',
    });
    expect(projectSchema.parse(project)).toEqual(project);
    expect(issuesOf(projectSchema, { description: 'x' })).toEqual([
      { field: 'name', message: 'is required' },
      { field: 'title', message: 'is required' },
      { field: 'owner', message: 'is required' },
    ]);
    expect(
      issuesOf(projectSchema, { ...validProject, name: 'Payments' })[0].field,
    ).toBe('name');
    expect(issuesOf(projectSchema, { ...validProject, owners: ['x'] })).toEqual(
      [{ field: 'owners', message: 'is not a known field' }],
    );
  });
});
