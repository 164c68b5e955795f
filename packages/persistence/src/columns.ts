import { DateTimeType } from '@mikro-orm/core';

/**
 * Column options shared by every date-time property (`{ ...dateTimeColumn, nullable: true }`).
 *
 * The type is MikroORM's `DateTimeType` class, never the column type name `'datetime'`: discovery
 * turns the class into the runtime type `Date`, which the change set computer compares by instant
 * (`valueOf()`). A property declared `'datetime'` is compared with a deep equality instead, and on
 * SQLite (dates stored as epoch milliseconds) the snapshot of a loaded row holds a `Date` while
 * the value prepared for the comparison is a number: every loaded row then looked changed, and a
 * flush rewrote it and bumped its `updatedAt`. The column is the same either way (`datetime` on
 * SQLite, `timestamptz` on PostgreSQL), so no migration is involved.
 */
export const dateTimeColumn = { type: DateTimeType } as const;
