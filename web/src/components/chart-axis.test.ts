import { afterEach, describe, expect, it } from 'vitest';
import { setFormatLocale } from '../format.js';
import { inferFrequency, periodCalendar, periodLabels, periodTicks } from './chart-axis.js';

afterEach(() => setFormatLocale(undefined));

const t = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 1000;
const iso = (s: number) => new Date(s * 1000).toISOString().slice(0, 10);

function axis(dates: string[], width: number, frequency = inferFrequency(dates.map(t))) {
  const times = dates.map(t);
  const calendar = periodCalendar(frequency, times);
  const { ticks, step } = periodTicks(calendar, times[0], times[times.length - 1], width, 76);
  return { ticks: ticks.map(iso), labels: periodLabels(calendar, ticks, step), step };
}

describe('the chart’s time axis', () => {
  it('ticks every month of a short monthly history on the month starts and names the month', () => {
    setFormatLocale('en-US');
    const dates = ['2024-07-01', '2024-08-01', '2024-09-01', '2024-10-01', '2024-11-01', '2024-12-01'];
    const got = axis(dates, 740);
    expect(got.ticks).toEqual(dates);
    expect(got.labels).toEqual(['Jul 2024', 'Aug 2024', 'Sep 2024', 'Oct 2024', 'Nov 2024', 'Dec 2024']);
  });

  it('keeps month-end dates on their own points, named by their month', () => {
    setFormatLocale('en-US');
    const dates = ['2024-06-30', '2024-07-31', '2024-08-31', '2024-09-30'];
    expect(axis(dates, 740)).toMatchObject({ ticks: dates, labels: ['Jun 2024', 'Jul 2024', 'Aug 2024', 'Sep 2024'] });
  });

  it('thins a long monthly history to calendar-aligned steps (quarters, half years, years)', () => {
    setFormatLocale('en-US');
    const dates = Array.from({ length: 60 }, (_, i) => new Date(Date.UTC(2020, i, 1)).toISOString().slice(0, 10));
    const got = axis(dates, 740);
    expect(got.step).toBe(6);
    expect(got.ticks.slice(0, 3)).toEqual(['2020-01-01', '2020-07-01', '2021-01-01']);
    expect(got.labels.slice(0, 2)).toEqual(['Jan 2020', 'Jul 2020']);
    const years = axis(dates, 400);
    expect(years.step).toBe(12);
    expect(years.labels).toEqual(['2020', '2021', '2022', '2023', '2024']);
  });

  it('names quarters and ticks weeks on the data’s weekday', () => {
    setFormatLocale('en-US');
    const quarters = ['2023-01-01', '2023-04-01', '2023-07-01', '2023-10-01', '2024-01-01'];
    expect(axis(quarters, 740)).toMatchObject({ ticks: quarters, labels: ['Q1 2023', 'Q2 2023', 'Q3 2023', 'Q4 2023', 'Q1 2024'] });
    const sundays = ['2024-12-15', '2024-12-22', '2024-12-29', '2025-01-05'];
    expect(axis(sundays, 740)).toMatchObject({ ticks: sundays, labels: ['Dec 15, 2024', 'Dec 22', 'Dec 29', 'Jan 5, 2025'] });
  });

  it('infers the frequency by the median gap when the dataset’s is not known', () => {
    expect(inferFrequency(['2024-01-01', '2024-02-01', '2024-03-01'].map(t))).toBe('monthly');
    expect(inferFrequency(['2024-01-01', '2024-01-08', '2024-01-15'].map(t))).toBe('weekly');
    expect(inferFrequency(['2024-01-01', '2024-04-01', '2024-07-01'].map(t))).toBe('quarterly');
  });
});
