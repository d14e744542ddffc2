import { Header, Page } from '@backstage/core-components';
import { UsagePage } from './UsagePage';

/** The usage page with its own header, for the legacy frontend system. */
export function LegacyUsagePage() {
  return (
    <Page themeId="tool">
      <Header title="AI Gateway" subtitle="Usage and cost per team" />
      <UsagePage />
    </Page>
  );
}
