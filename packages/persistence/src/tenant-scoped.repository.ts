import type {
  EntityClass,
  EntityData,
  FilterQuery,
  FindOptions,
  RequiredEntityData,
} from '@mikro-orm/core';
import type { Em } from './config.js';
import { newId } from './ids.js';
import { Tenant } from './tenancy/tenant.entity.js';

/** A page of results (pages count from 1). */
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** Any entity that belongs to a tenant. */
export interface TenantOwned {
  id: string;
  tenant: Tenant;
}

/**
 * Base of every tenant-scoped repository: each query it runs carries `tenant = <tenantId>`, so a
 * caller holding another tenant's ID gets `null` (the API turns that into NOT_FOUND), never the
 * row. Subclasses add named queries; they must build them through {@link scoped}.
 */
export class TenantScopedRepository<T extends TenantOwned> {
  constructor(
    protected readonly em: Em,
    readonly tenantId: string,
    protected readonly entity: EntityClass<T>,
  ) {}

  /** `where` restricted to this tenant. */
  protected scoped(where: FilterQuery<T> = {}): FilterQuery<T> {
    return { $and: [where, { tenant: this.tenantId }] } as FilterQuery<T>;
  }

  /** The entity with this ID if it belongs to the tenant. */
  async findById(id: string): Promise<T | null> {
    return this.em.findOne(this.entity, this.scoped({ id } as FilterQuery<T>));
  }

  async find<P extends string = never>(
    where: FilterQuery<T> = {},
    options?: FindOptions<T, P>,
  ): Promise<T[]> {
    return this.em.find(this.entity, this.scoped(where), options);
  }

  async findOne(where: FilterQuery<T>): Promise<T | null> {
    return this.em.findOne(this.entity, this.scoped(where));
  }

  async findAndCount<P extends string = never>(
    where: FilterQuery<T>,
    options: FindOptions<T, P>,
  ): Promise<[T[], number]> {
    return this.em.findAndCount(this.entity, this.scoped(where), options);
  }

  /** Page `page` (from 1) of `pageSize` rows matching `where`, with the total count. */
  async findPage<P extends string = never>(
    where: FilterQuery<T>,
    page: number,
    pageSize: number,
    options: Omit<FindOptions<T, P>, 'limit' | 'offset'>,
  ): Promise<Page<T>> {
    const [items, total] = await this.findAndCount(where, {
      ...options,
      limit: pageSize,
      offset: (page - 1) * pageSize,
    });
    return { items, total, page, pageSize };
  }

  async count(where: FilterQuery<T> = {}): Promise<number> {
    return this.em.count(this.entity, this.scoped(where));
  }

  /**
   * A new entity of this tenant, persisted on the next flush. Its ID is assigned here (not at
   * flush) so that history lines and jobs created in the same unit of work can refer to it.
   */
  create(data: Omit<RequiredEntityData<T>, 'tenant'>): T {
    const given = (data as { id?: string }).id;
    return this.em.create(this.entity, {
      ...data,
      id: given ?? newId(),
      tenant: this.em.getReference(Tenant, this.tenantId),
    } as unknown as RequiredEntityData<T>);
  }

  /**
   * A new entity of this tenant that the unit of work does NOT track, to be written with
   * {@link insertAll}. For rows written once, in bulk, and not changed afterwards in the same
   * unit of work (the order intake): it skips the unit of work's bookkeeping (change sets,
   * identity map), which costs far more than the insert itself. Class defaults apply as with
   * {@link create}; the ID is assigned here so that related drafts can refer to it.
   */
  draft(data: Omit<RequiredEntityData<T>, 'tenant'>): T {
    const given = (data as { id?: string }).id;
    const entity = new (this.entity as unknown as new () => T)();
    return Object.assign(entity, data, {
      id: given ?? newId(),
      tenant: this.em.getReference(Tenant, this.tenantId),
    });
  }

  /**
   * Inserts drafts of this tenant (multi-row statements) in the entity manager's current
   * transaction ({@link Em.begin}), or in one of their own. They stay untracked.
   */
  async insertAll(drafts: readonly T[]): Promise<void> {
    if (drafts.some((d) => d.tenant.id !== this.tenantId))
      throw new Error("refusing to insert another tenant's row");
    if (drafts.length > 0) await this.em.insertMany([...drafts]);
  }

  /**
   * Updates the tenant's rows matching `where` in one statement, without loading them (the unit of
   * work does not see the change). Returns how many rows changed: with the expected old values in
   * `where` it is a compare-and-set.
   */
  async update(where: FilterQuery<T>, data: EntityData<T>): Promise<number> {
    return this.em.nativeUpdate(this.entity, this.scoped(where), data);
  }

  remove(entity: T): void {
    if (entity.tenant.id !== this.tenantId)
      throw new Error("refusing to remove another tenant's row");
    this.em.remove(entity);
  }
}

/** Escapes LIKE wildcards so a search for `50%` finds that text. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The texts that begin with `prefix`, as a range: from the prefix (included) to the prefix with
 * its last character raised by one code point (excluded). Unlike `LIKE 'x%'` it is literal (no
 * wildcards to escape), case-sensitive on both dialects, and a B-tree index on the column serves
 * it: on SQLite under the default BINARY collation, on PostgreSQL when the column compares by
 * code point (collation "C") — under a language collation the range is not the prefix.
 */
export function prefixRange(prefix: string): { $gte: string; $lt?: string } {
  const chars = [...prefix];
  // A last character that cannot be raised (U+10FFFF) is dropped and the one before raised.
  while (chars.length > 0) {
    let next = chars.pop()!.codePointAt(0)! + 1;
    if (next > 0x10ffff) continue;
    if (next >= 0xd800 && next <= 0xdfff) next = 0xe000; // surrogates are no characters
    return { $gte: prefix, $lt: chars.join('') + String.fromCodePoint(next) };
  }
  return { $gte: prefix };
}
