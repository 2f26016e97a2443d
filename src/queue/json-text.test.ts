import { describe, expect, it } from 'vitest';
import { JsonText } from './json-text.js';

describe('JsonText', () => {
  it('refuses anything but a string: a thread of another build posting its result as a value must not reach a store as JSON', () => {
    // ForecastHandler wraps what the optimization thread posts; an object or undefined there would
    // be bound as is (an error far from the cause) or stored as NULL instead of the result.
    expect(() => new JsonText({ forecast: {} } as never)).toThrow(TypeError);
    expect(() => new JsonText(undefined as never)).toThrow(TypeError);
  });
});
