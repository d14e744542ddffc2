import { render, screen } from '@testing-library/react';
import { Age, absoluteTime, age } from './Age';

describe('age', () => {
  const now = Date.parse('2026-11-25T12:00:00Z');

  it('says how long ago a time was, in the largest unit that reads well', () => {
    expect(age(undefined, now)).toBe('never');
    expect(age('2026-11-25T11:59:48Z', now)).toBe('12 s ago');
    expect(age('2026-11-25T11:58:31Z', now)).toBe('89 s ago');
    expect(age('2026-11-25T11:30:00Z', now)).toBe('30 min ago');
    expect(age('2026-11-25T06:00:00Z', now)).toBe('6 h ago');
    expect(age('2026-11-20T12:00:00Z', now)).toBe('5 d ago');
  });

  it('never says a time is in the future (clock skew between browser and server)', () => {
    expect(age('2026-11-25T12:00:30Z', now)).toBe('0 s ago');
  });
});

describe('Age', () => {
  it('shows the age with the exact UTC time on hover', () => {
    render(<Age at="2024-05-01T12:30:05.000Z" />);
    expect(screen.getByText(/ago$/)).toHaveAttribute(
      'title',
      '2024-05-01 12:30:05 UTC',
    );
    expect(absoluteTime('2024-05-01T12:30:05.000Z')).toBe(
      '2024-05-01 12:30:05 UTC',
    );
  });

  it('shows "never" without a time', () => {
    render(<Age at={undefined} />);
    expect(screen.getByText('never')).not.toHaveAttribute('title');
  });
});
