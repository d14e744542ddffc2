import {
  getCompoundEntityRef,
  parseEntityRef,
  RELATION_DEPENDENCY_OF,
  RELATION_DEPENDS_ON,
  type Entity,
} from '@backstage/catalog-model';
import {
  processingResult,
  type CatalogProcessor,
  type CatalogProcessorEmit,
  type LocationSpec,
} from '@backstage/plugin-catalog-node';
import {
  formatZodIssues,
  mcpRegistryEntryOfEntity,
  mcpTransports,
} from '@ai-gateway-backstage/plugin-ai-gateway-common';
import { z } from 'zod';

/** The parts of the suite's entity types that the catalog's own schemas do not check. */
const specSchemas: Record<string, z.ZodType> = {
  'API/mcp-server': z.object({
    remotes: z
      .array(
        z.object({
          type: z.enum(mcpTransports, {
            message: `must be one of: ${mcpTransports.join(', ')}`,
          }),
          url: z
            .string()
            .url('must be a URL such as https://mcp.example.com/github/mcp'),
        }),
      )
      .min(1, 'an MCP server needs at least one remote'),
    dependsOn: z.array(z.string()).optional(),
  }),
  'Resource/ai-backend': z.object({
    dependsOn: z
      .array(z.string())
      .min(1, 'an AI backend depends on its pool (resource:<pool>)')
      .optional(),
  }),
  'Resource/ai-gateway-pool': z.object({
    system: z.string().min(1, 'a pool belongs to a project (its system)'),
  }),
};

/** An mcp-server API defined by a server.json: remotes, if given, as above. */
const registryEntrySpecSchema = (
  specSchemas['API/mcp-server'] as z.ZodObject<z.ZodRawShape>
).extend({
  remotes: (
    specSchemas['API/mcp-server'] as z.ZodObject<{
      remotes: z.ZodArray<z.ZodTypeAny>;
    }>
  ).shape.remotes.optional(),
});

/**
 * Checks entities of the suite's types, whether the entity provider or a
 * team's own catalog-info.yaml declared them, and emits the dependsOn
 * relations the catalog emits only for components and resources.
 *
 * @public
 */
export class AiGatewayEntityProcessor implements CatalogProcessor {
  getProcessorName(): string {
    return 'AiGatewayEntityProcessor';
  }

  async postProcessEntity(
    entity: Entity,
    location: LocationSpec,
    emit: CatalogProcessorEmit,
  ): Promise<Entity> {
    const type = `${entity.kind}/${String(entity.spec?.type ?? '')}`;
    // An MCP registry entry (its definition a server.json) says where it runs
    // in the definition: its remotes are optional, as for deployable packages.
    const schema = mcpRegistryEntryOfEntity(entity)
      ? registryEntrySpecSchema
      : specSchemas[type];
    if (!schema) return entity;
    const result = schema.safeParse(entity.spec ?? {});
    if (!result.success) {
      const problems = formatZodIssues(result.error)
        .map(i => `spec.${i.field}: ${i.message}`)
        .join('; ');
      emit(
        processingResult.inputError(
          location,
          `Invalid ${entity.spec?.type} entity ${entity.metadata.name}: ${problems}`,
        ),
      );
      return entity;
    }
    // The catalog's built-in processor emits dependsOn only for components and resources.
    if (entity.kind === 'API') {
      const self = getCompoundEntityRef(entity);
      for (const target of (entity.spec?.dependsOn as string[] | undefined) ??
        []) {
        const ref = parseEntityRef(target, {
          defaultKind: 'Resource',
          defaultNamespace: self.namespace,
        });
        emit(
          processingResult.relation({
            source: self,
            type: RELATION_DEPENDS_ON,
            target: ref,
          }),
        );
        emit(
          processingResult.relation({
            source: ref,
            type: RELATION_DEPENDENCY_OF,
            target: self,
          }),
        );
      }
    }
    return entity;
  }
}
