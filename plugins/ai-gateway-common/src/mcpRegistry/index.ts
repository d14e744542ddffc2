export * from './serverJson';
export * from './mcpServerFromServerJson';
