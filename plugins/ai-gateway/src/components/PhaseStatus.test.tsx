import { renderInTestApp } from '@backstage/test-utils';
import { fireEvent, screen } from '@testing-library/react';
import { PhaseStatus } from './PhaseStatus';

describe('PhaseStatus', () => {
  it.each([
    ['Active', 'status-ok'],
    ['OutOfSync', 'status-warning'],
    ['Degraded', 'status-error'],
    ['Stale', 'status-aborted'],
    ['Pending', 'status-pending'],
  ] as const)('shows %s with its status icon', async (phase, icon) => {
    await renderInTestApp(<PhaseStatus phase={phase} />);
    expect(screen.getByTestId(`phase-${phase}`)).toHaveTextContent(phase);
    // Named for assistive technology (the Status text itself is aria-hidden).
    expect(screen.getByRole('img', { name: phase })).toBeInTheDocument();
    expect(screen.getByTestId(icon)).toBeInTheDocument();
  });

  it('shows why the pool is not Active on hover, and a label instead of the phase name', async () => {
    await renderInTestApp(
      <PhaseStatus
        phase="OutOfSync"
        reason="Running bbbb, desired aaaa"
        label="2 OutOfSync"
        testId="count"
      />,
    );
    expect(screen.getByTestId('count')).toHaveTextContent('2 OutOfSync');
    fireEvent.mouseOver(screen.getByTestId('count'));
    expect(
      await screen.findByText('Running bbbb, desired aaaa'),
    ).toBeInTheDocument();
  });
});
