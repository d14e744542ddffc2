/**
 * Options every table of the plugin passes to core-components' Table:
 * draggable column headers put a role=button inside the sort button (nested
 * interactive controls that screen readers cannot use, WCAG 4.1.2).
 */
export const ACCESSIBLE_TABLE_OPTIONS = { draggable: false } as const;
