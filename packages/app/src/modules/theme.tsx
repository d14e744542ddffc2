import {
  createUnifiedTheme,
  palettes,
  UnifiedThemeProvider,
} from '@backstage/theme';
import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { ThemeBlueprint } from '@backstage/plugin-app-react';
import LightIcon from '@material-ui/icons/WbSunny';

/**
 * Backstage's light theme with an error red that reads at WCAG AA: form
 * fields with an error (every template step) show their label and message
 * in `palette.error.main`, whose default (#f44336) is 3.7:1 on white.
 */
const accessibleLightTheme = createUnifiedTheme({
  palette: {
    ...palettes.light,
    error: { main: '#c62828', light: '#e57373', dark: '#8e0000' },
  },
});

/** Replaces the app's light theme (`theme:app/light`). */
export const themeModule = createFrontendModule({
  pluginId: 'app',
  extensions: [
    ThemeBlueprint.make({
      name: 'light',
      params: {
        theme: {
          id: 'light',
          title: 'Light',
          variant: 'light',
          icon: <LightIcon />,
          Provider: ({ children }) => (
            <UnifiedThemeProvider theme={accessibleLightTheme}>
              {children}
            </UnifiedThemeProvider>
          ),
        },
      },
    }),
  ],
});
