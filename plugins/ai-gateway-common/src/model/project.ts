import { z } from 'zod';
import { expecting } from './messages';
import { descriptionSchema, objectNameSchema, titleSchema } from './primitives';

const REF_PART = '[a-zA-Z0-9](?:[-_.a-zA-Z0-9]{0,61}[a-zA-Z0-9])?';
const GROUP_REF = new RegExp(
  `^(?:group:)?(?:(${REF_PART})/)?(${REF_PART})$`,
  'i',
);
const GROUP_REF_HELP =
  'must be a catalog group such as group:default/team-a, group:team-a or team-a';

/**
 * Normalises a catalog group reference to its full form: `team-a`,
 * `group:team-a` and `group:default/team-a` all give `group:default/team-a`.
 * Entity refs compare case-insensitively, so the result is lower case.
 * Returns undefined for anything else (e.g. a `user:` ref).
 *
 * @public
 */
export function normalizeGroupRef(ref: string): string | undefined {
  const match = GROUP_REF.exec(ref.trim());
  if (!match) return undefined;
  const [, namespace = 'default', name] = match;
  return `group:${namespace}/${name}`.toLocaleLowerCase('en-US');
}

/**
 * A catalog group reference, normalised to `group:<namespace>/<name>`.
 *
 * @public
 */
export const groupRefSchema = z
  .string(expecting('a catalog group such as group:default/team-a'))
  .refine(ref => normalizeGroupRef(ref) !== undefined, {
    message: GROUP_REF_HELP,
    abort: true,
  })
  // overwrite, not transform: still a string, so JSON Schema (the OpenAPI document) can say so.
  .overwrite(ref => normalizeGroupRef(ref)!);

/**
 * A project: the tenant boundary. Its owner group sees and changes the
 * project's pools, MCP servers, AI backends and policies.
 *
 * @public
 */
export const projectSchema = z
  .object(
    {
      name: objectNameSchema,
      title: titleSchema,
      description: descriptionSchema.optional(),
      owner: groupRefSchema,
    },
    expecting('an object'),
  )
  .strict();

/** @public */
export type Project = z.infer<typeof projectSchema>;
/** @public */
export type ProjectInput = z.input<typeof projectSchema>;
