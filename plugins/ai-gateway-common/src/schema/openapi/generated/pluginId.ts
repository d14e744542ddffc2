export const pluginId = 'ai-gateway';
