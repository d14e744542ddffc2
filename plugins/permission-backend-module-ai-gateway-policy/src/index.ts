/**
 * The permission policy of AI Gateway for Backstage, as a module of the
 * permission backend: platform admins may do everything, teams manage the
 * objects of the projects their groups own.
 *
 * @packageDocumentation
 */
export { permissionModuleAiGatewayPolicy as default } from './module';
export { AiGatewayPermissionPolicy } from './AiGatewayPermissionPolicy';
