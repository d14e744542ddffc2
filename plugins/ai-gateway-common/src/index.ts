/**
 * Domain model, permissions and shared logic of AI Gateway for Backstage,
 * for browser and server alike.
 *
 * @packageDocumentation
 */
export * from './model/primitives';
export * from './model/project';
export * from './model/pool';
export * from './model/hosts';
export * from './model/mcpServer';
export * from './model/aiBackend';
export * from './model/aiBackendInWords';
export * from './model/policy';
export * from './model/budget';
export * from './model/status';
export * from './model/poolHealth';
export * from './model/poolGuidance';
export * from './model/install';
export * from './model/resourceKinds';
export * from './model/validation';
export * from './model/events';
export * from './model/mcpRisk';
export * from './model/api';
export * from './usage/metricLabels';
export * from './usage/usageApi';
export * from './client';
export * from './permissions';
export * from './topology/effectivePolicy';
export * from './topology/graph';
export * from './topology/clientAccess';
export * from './topology/traffic';
export * from './mcpRegistry';
