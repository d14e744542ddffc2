import { Header, Page } from '@backstage/core-components';
import { FleetPage } from './FleetPage';

/** The fleet page with its own header, for the legacy frontend system. */
export function LegacyFleetPage() {
  return (
    <Page themeId="tool">
      <Header title="AI Gateway" subtitle="Gateway pools and their health" />
      <FleetPage />
    </Page>
  );
}
