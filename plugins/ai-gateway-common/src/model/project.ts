import { z } from 'zod';
import { descriptionSchema, objectNameSchema } from './primitives';

/**
 * A catalog group reference in full form. Accepts `group:ns/name`,
 * `group:name` or `name`, and returns `group:default/name` style refs.
 */
export const groupRefSchema = z
  .string({ message: 'must be a group entity ref such as group:default/team-a' })
  .trim()
  .regex(
    /^(group:)?([a-z0-9A-Z][-a-zA-Z0-9_.]*\/)?[a-zA-Z0-9][-a-zA-Z0-9_.]*$/,
    'must be a group entity ref such as group:default/team-a',
  )
  .transform(ref => {
    const withoutKind = ref.replace(/^group:/, '');
    const [namespace, name] = withoutKind.includes('/')
      ? withoutKind.split('/')
      : ['default', withoutKind];
    return `group:${namespace.toLocaleLowerCase('en-US')}/${name.toLocaleLowerCase('en-US')}`;
  });

/** A project: the tenant boundary. Its owner group manages everything in it. */
export const projectSchema = z
  .object({
    name: objectNameSchema,
    title: z.string({ message: 'must be a string' }).min(1, 'must not be empty').max(100, 'must be at most 100 characters').optional(),
    description: descriptionSchema.optional(),
    owner: groupRefSchema,
  })
  .strict();

export type Project = z.infer<typeof projectSchema>;
export type ProjectInput = z.input<typeof projectSchema>;
