/**
 * POS resources (`/{contract_id}/pos`): products, categories, stock, stores, payment methods.
 * Shapes: docs/smaregi-wire.md §4.1-4.5. Payment methods' scope
 * (`pos.transactions:read`) is modeled.
 */
import { z } from 'zod';
import type { CallOptions, QueryValue } from '../client.js';
import { paginateItems } from '../paginate.js';
import {
  bulkAcceptedSchema,
  categoryCreateInputSchema,
  categoryListInputSchema,
  categorySchema,
  paymentMethodListInputSchema,
  paymentMethodSchema,
  productCreateInputSchema,
  productListInputSchema,
  productSchema,
  productUpdateInputSchema,
  stockAddInputSchema,
  stockBulkAddInputSchema,
  stockBulkSetInputSchema,
  stockChangeResultSchema,
  stockListInputSchema,
  stockRowSchema,
  stockSetInputSchema,
  storeListInputSchema,
  storeSchema,
  type BulkAccepted,
  type Category,
  type CategoryCreateInput,
  type CategoryListInput,
  type PaymentMethod,
  type PaymentMethodListInput,
  type Product,
  type ProductCreateInput,
  type ProductListInput,
  type ProductUpdateInput,
  type StockAddInput,
  type StockBulkAddInput,
  type StockBulkSetInput,
  type StockChangeResult,
  type StockListInput,
  type StockRow,
  type StockSetInput,
  type Store,
  type StoreListInput,
} from '../schemas/pos.js';
import {
  pathId,
  rejectingMethods,
  validateInput,
  withoutPaging,
  type IterateOptions,
  type RequestFn,
} from './shared.js';

export interface ProductsResource {
  /** `GET /products/{productId}`. */
  get(productId: string | number, options?: CallOptions): Promise<Product>;
  /** `GET /products`: one page (default limit 100, as Smaregi). */
  list(params?: ProductListInput, options?: CallOptions): Promise<Product[]>;
  /** Every product matching `params`, page after page (1000 per page unless `limit`). */
  iterate(
    params?: Omit<ProductListInput, 'page' | 'limit'>,
    options?: IterateOptions,
  ): AsyncGenerator<Product, void, undefined>;
  /** `POST /products` (商品登録). */
  create(input: ProductCreateInput, options?: CallOptions): Promise<Product>;
  /** `PATCH /products/{productId}` (partial update). */
  update(
    productId: string | number,
    input: ProductUpdateInput,
    options?: CallOptions,
  ): Promise<Product>;
}

export interface CategoriesResource {
  get(categoryId: string | number, options?: CallOptions): Promise<Category>;
  list(params?: CategoryListInput, options?: CallOptions): Promise<Category[]>;
  iterate(
    params?: Omit<CategoryListInput, 'page' | 'limit'>,
    options?: IterateOptions,
  ): AsyncGenerator<Category, void, undefined>;
  create(input: CategoryCreateInput, options?: CallOptions): Promise<Category>;
}

export interface StockResource {
  /** `GET /stock`. A product without a row has never had a stock change: unknown, not 0. */
  list(params?: StockListInput, options?: CallOptions): Promise<StockRow[]>;
  iterate(
    params?: Omit<StockListInput, 'page' | 'limit'>,
    options?: IterateOptions,
  ): AsyncGenerator<StockRow, void, undefined>;
  /** `PATCH /stock/{productId}`: sets the stock of one store to an absolute amount. */
  set(
    productId: string | number,
    input: StockSetInput,
    options?: CallOptions,
  ): Promise<StockChangeResult>;
  /** `POST /stock/{productId}/add`: adds (or with a negative amount, subtracts). */
  add(
    productId: string | number,
    input: StockAddInput,
    options?: CallOptions,
  ): Promise<StockChangeResult>;
  /** `PATCH /stock/bulk`: asynchronous absolute set of up to 100 rows; result goes to `callbackUrl`. */
  bulkSet(input: StockBulkSetInput, options?: CallOptions): Promise<BulkAccepted>;
  /** `POST /stock/add/bulk`: asynchronous relative change of up to 100 rows. */
  bulkAdd(input: StockBulkAddInput, options?: CallOptions): Promise<BulkAccepted>;
}

export interface StoresResource {
  /** `GET /stores`: POS stores (division "1") and warehouses ("2"); not 受注店舗. */
  list(params?: StoreListInput, options?: CallOptions): Promise<Store[]>;
  iterate(
    params?: Omit<StoreListInput, 'page' | 'limit'>,
    options?: IterateOptions,
  ): AsyncGenerator<Store, void, undefined>;
  get(storeId: string | number, options?: CallOptions): Promise<Store>;
}

export interface PaymentMethodsResource {
  list(params?: PaymentMethodListInput, options?: CallOptions): Promise<PaymentMethod[]>;
  get(paymentMethodId: string | number, options?: CallOptions): Promise<PaymentMethod>;
}

export interface PosResources {
  products: ProductsResource;
  categories: CategoriesResource;
  stock: StockResource;
  stores: StoresResource;
  paymentMethods: PaymentMethodsResource;
}

/** A list + iterate pair over one collection. */
function collection<In extends { page?: number; limit?: number }, Item>(
  request: RequestFn,
  operation: string,
  path: string,
  inputSchema: z.ZodType<Record<string, QueryValue>, In>,
  itemSchema: z.ZodType<Item>,
) {
  const arraySchema = z.array(itemSchema);
  const list = (params: In = {} as In, options?: CallOptions): Promise<Item[]> => {
    const query = validateInput(`${operation}.list`, inputSchema, params);
    return request(
      { operation: `${operation}.list`, method: 'GET', path, query, schema: arraySchema },
      options,
    );
  };
  async function* iterate(
    params: Omit<In, 'page' | 'limit'> = {} as Omit<In, 'page' | 'limit'>,
    options: IterateOptions = {},
  ): AsyncGenerator<Item, void, undefined> {
    const base = withoutPaging(params as In);
    // Validate once up front so a bad filter fails before the first request.
    validateInput(`${operation}.iterate`, inputSchema, { ...base, limit: options.limit ?? 1000 });
    yield* paginateItems(({ page, limit }) => list({ ...base, page, limit } as In, options), {
      limit: options.limit,
      prefetch: options.prefetch,
    });
  }
  return { list, iterate };
}

/** Builds the POS resources on top of a contract's `request`. */
export function createPosResources(request: RequestFn): PosResources {
  const products = collection(
    request,
    'pos.products',
    '/pos/products',
    productListInputSchema,
    productSchema,
  );
  const categories = collection(
    request,
    'pos.categories',
    '/pos/categories',
    categoryListInputSchema,
    categorySchema,
  );
  const stock = collection(
    request,
    'pos.stock',
    '/pos/stock',
    stockListInputSchema,
    stockRowSchema,
  );
  const stores = collection(
    request,
    'pos.stores',
    '/pos/stores',
    storeListInputSchema,
    storeSchema,
  );
  const paymentMethods = collection(
    request,
    'pos.paymentMethods',
    '/pos/payment_methods',
    paymentMethodListInputSchema,
    paymentMethodSchema,
  );

  return {
    products: rejectingMethods<ProductsResource>({
      ...products,
      get: (productId, options) => {
        const id = pathId('pos.products.get', 'productId', productId);
        return request(
          {
            operation: 'pos.products.get',
            method: 'GET',
            path: `/pos/products/${id}`,
            schema: productSchema,
          },
          options,
        );
      },
      create: (input, options) =>
        request(
          {
            operation: 'pos.products.create',
            method: 'POST',
            path: '/pos/products',
            body: validateInput('pos.products.create', productCreateInputSchema, input),
            schema: productSchema,
          },
          options,
        ),
      update: (productId, input, options) => {
        const id = pathId('pos.products.update', 'productId', productId);
        return request(
          {
            operation: 'pos.products.update',
            method: 'PATCH',
            path: `/pos/products/${id}`,
            body: validateInput('pos.products.update', productUpdateInputSchema, input),
            schema: productSchema,
          },
          options,
        );
      },
    }),
    categories: rejectingMethods<CategoriesResource>({
      ...categories,
      get: (categoryId, options) => {
        const id = pathId('pos.categories.get', 'categoryId', categoryId);
        return request(
          {
            operation: 'pos.categories.get',
            method: 'GET',
            path: `/pos/categories/${id}`,
            schema: categorySchema,
          },
          options,
        );
      },
      create: (input, options) =>
        request(
          {
            operation: 'pos.categories.create',
            method: 'POST',
            path: '/pos/categories',
            body: validateInput('pos.categories.create', categoryCreateInputSchema, input),
            schema: categorySchema,
          },
          options,
        ),
    }),
    stock: rejectingMethods<StockResource>({
      ...stock,
      set: (productId, input, options) => {
        const id = pathId('pos.stock.set', 'productId', productId);
        return request(
          {
            operation: 'pos.stock.set',
            method: 'PATCH',
            path: `/pos/stock/${id}`,
            body: validateInput('pos.stock.set', stockSetInputSchema, input),
            schema: stockChangeResultSchema,
          },
          options,
        );
      },
      add: (productId, input, options) => {
        const id = pathId('pos.stock.add', 'productId', productId);
        return request(
          {
            operation: 'pos.stock.add',
            method: 'POST',
            path: `/pos/stock/${id}/add`,
            body: validateInput('pos.stock.add', stockAddInputSchema, input),
            schema: stockChangeResultSchema,
          },
          options,
        );
      },
      bulkSet: (input, options) =>
        request(
          {
            operation: 'pos.stock.bulkSet',
            method: 'PATCH',
            path: '/pos/stock/bulk',
            body: validateInput('pos.stock.bulkSet', stockBulkSetInputSchema, input),
            schema: bulkAcceptedSchema,
          },
          options,
        ),
      bulkAdd: (input, options) =>
        request(
          {
            operation: 'pos.stock.bulkAdd',
            method: 'POST',
            path: '/pos/stock/add/bulk',
            body: validateInput('pos.stock.bulkAdd', stockBulkAddInputSchema, input),
            schema: bulkAcceptedSchema,
          },
          options,
        ),
    }),
    stores: rejectingMethods<StoresResource>({
      ...stores,
      get: (storeId, options) => {
        const id = pathId('pos.stores.get', 'storeId', storeId);
        return request(
          {
            operation: 'pos.stores.get',
            method: 'GET',
            path: `/pos/stores/${id}`,
            schema: storeSchema,
          },
          options,
        );
      },
    }),
    paymentMethods: rejectingMethods<PaymentMethodsResource>({
      list: paymentMethods.list,
      get: (paymentMethodId, options) => {
        const id = pathId('pos.paymentMethods.get', 'paymentMethodId', paymentMethodId);
        return request(
          {
            operation: 'pos.paymentMethods.get',
            method: 'GET',
            path: `/pos/payment_methods/${id}`,
            schema: paymentMethodSchema,
          },
          options,
        );
      },
    }),
  };
}
