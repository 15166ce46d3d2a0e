/** The month summary of allocations (and of the account export). */
import { z } from 'zod';
import { utcDateTime } from '../../lib/http/schemas';

const money = z.int().min(0);
/** A month as GET, PUT and PATCH answer it (and the account export lists it). */
export const allocationMonthSchema = z
  .object({
    month: z.string().regex(/^\d{4}-\d{2}$/),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .nullable(),
    categories: z.array(
      z.object({
        key: z.string(),
        label: z.string(),
        targetPercent: z.int().min(0).max(100).nullable(),
        budget: money,
        actual: money,
        difference: z.int().describe('`budget - actual` (negative when overspent).'),
        utilization: z
          .number()
          .nullable()
          .describe(
            '`actual / budget` rounded half up to 2 decimals; `null` when the budget is 0.',
          ),
      }),
    ),
    totals: z.object({
      budget: money,
      actual: money,
      difference: z.int(),
      utilization: z.number().nullable(),
    }),
    onTrack: z.boolean().describe("Every category's `actual` is at most its `budget`."),
    updatedAt: utcDateTime.nullable().describe('`null` for a month never set.'),
  })
  .meta({
    id: 'AllocationMonth',
    description:
      'A month of the budget. Amounts are integers in minor units (öre, cents); no floats.',
  });

export const ALLOCATION_MONTH_EXAMPLE = {
  month: '2026-11',
  currency: 'SEK',
  categories: [
    {
      key: 'food',
      label: 'Food',
      targetPercent: 25,
      budget: 400000,
      actual: 155000,
      difference: 245000,
      utilization: 0.39,
    },
  ],
  totals: { budget: 400000, actual: 155000, difference: 245000, utilization: 0.39 },
  onTrack: true,
  updatedAt: '2026-11-20T08:30:00.000Z',
};
