// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LoadError } from './LoadError.js';

afterEach(cleanup);

describe('LoadError', () => {
  it('announces each failure of a Retry once, keeping the focus on the button (was: the button inside the alert, read twice per attempt, and disabled, dropping the focus)', () => {
    const onRetry = vi.fn();
    const error = { message: 'the API answered 500' };
    const { rerender } = render(<LoadError what="SKUs" error={error} onRetry={onRetry} />);
    const first = screen.getByRole('alert');
    // The alert is the message alone: the button's label changing is not a new alert.
    expect(first.textContent).toBe('Could not load SKUs: the API answered 500');
    const button = screen.getByRole('button', { name: 'Retry' });
    expect(first.contains(button)).toBe(false);

    button.focus();
    fireEvent.click(button);
    expect(onRetry).toHaveBeenCalledTimes(1);
    rerender(<LoadError what="SKUs" error={error} onRetry={onRetry} retrying />);
    const busy = screen.getByRole('button', { name: 'Retrying…' });
    expect(busy).toBe(button);
    expect(document.activeElement).toBe(button);
    expect(busy.hasAttribute('disabled')).toBe(false);
    expect(busy.getAttribute('aria-disabled')).toBe('true');
    expect(busy.getAttribute('aria-busy')).toBe('true');
    fireEvent.click(busy);
    expect(onRetry).toHaveBeenCalledTimes(1);
    // Nothing said while it is asked.
    expect(screen.getByRole('alert')).toBe(first);

    // It failed again, with the same message: a new alert, said once.
    rerender(<LoadError what="SKUs" error={{ message: 'the API answered 500' }} onRetry={onRetry} />);
    const second = screen.getAllByRole('alert');
    expect(second).toHaveLength(1);
    expect(second[0]).not.toBe(first);
    expect(second[0]!.textContent).toBe('Could not load SKUs: the API answered 500');
    expect(document.activeElement).toBe(button);
    expect(button.getAttribute('aria-disabled')).toBeNull();
  });

  it('a refetch not asked for here (a poll, a window focus) that fails the same way says nothing new', () => {
    const error = { message: 'the API answered 500' };
    const { rerender } = render(<LoadError what="jobs" error={error} onRetry={vi.fn()} />);
    const first = screen.getByRole('alert');
    rerender(<LoadError what="jobs" error={error} onRetry={vi.fn()} retrying />);
    rerender(<LoadError what="jobs" error={error} onRetry={vi.fn()} />);
    expect(screen.getByRole('alert')).toBe(first);
  });
});
