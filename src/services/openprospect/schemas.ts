import * as z from 'zod/mini';

export const Order = z.looseObject({
  id: z.string(),
  title: z.string(),
  status: z.string(),
});
export type Order = z.infer<typeof Order>;

/** GET /orders: `{ orders: [{ id, title, status }], total }`. */
export const OrderList = z.looseObject({
  orders: z.array(Order),
  total: z.number(),
});
export type OrderList = z.infer<typeof OrderList>;

/** POST /orders body. */
export interface CreateOrder {
  title: string;
  features: string[];
  companies: Array<{ company_name: string; [field: string]: unknown }>;
  [field: string]: unknown;
}

/** The documented error body; `detail` holds the scopes on a 403. */
export const ErrorBody = z.looseObject({
  code: z.string(),
  message: z.string(),
  detail: z.optional(
    z.union([
      z.looseObject({
        required_scopes: z.optional(z.array(z.string())),
        user_scopes: z.optional(z.array(z.string())),
      }),
      z.array(z.unknown()),
      z.string(),
    ]),
  ),
});
export type ErrorBody = z.infer<typeof ErrorBody>;
