// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../api/client.js';
import { ErrorDetails } from './ErrorDetails.js';

afterEach(cleanup);

describe('ErrorDetails', () => {
  it("names a refused field by the control that sets it and the options in its text by their controls (was: `headerRow`, 'give it as headerRow (CLI --header-row)')", () => {
    const error = new ApiError(400, 'headerRow 40 is past the end of the file', {
      error: 'headerRow 40 is past the end of the file',
      details: [
        { path: 'headerRow', message: 'line 1 was refused as the header (numbers), so line 2, the first below it with names and no numbers, was read as the header: if the header is on another line, give it as headerRow (CLI --header-row)' },
        { path: 'maxRejected', message: 'more lines rejected than 0' },
      ],
    } as never);
    render(<ErrorDetails error={error} />);
    const alert = screen.getByRole('alert');
    expect(alert.querySelector('strong')?.textContent).toBe('“Header on line” 40 is past the end of the file');
    const items = [...alert.querySelectorAll('li')];
    expect(items[0].textContent).toBe('“Header on line”: line 1 was refused as the header (numbers), so line 2, the first below it with names and no numbers, was read as the header: if the header is on another line, enter it under “Header on line”');
    // A field no control of the web app sets keeps its API name, as code.
    expect(items[1].querySelector('code')?.textContent).toBe('maxRejected');
  });
});
