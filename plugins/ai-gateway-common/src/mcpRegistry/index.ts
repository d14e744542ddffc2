export * from './serverJson';
export * from './mcpServerFromServerJson';
export * from './catalogEntries';
