import { trpc } from '../../api/trpc';

/*
 * The dashboard's server state. Keys mirror the tRPC paths, so a screen that changes settings,
 * mappings or the connection refreshes the dashboard by invalidating `['settings']`,
 * `['readiness']` or `['connection']`.
 */

export type Readiness = Awaited<ReturnType<typeof trpc.readiness.get.query>>;
export type ReadinessItem = Readiness['items'][number];
export type Settings = Awaited<ReturnType<typeof trpc.settings.get.query>>;
export type DashboardSummary = Awaited<ReturnType<typeof trpc.dashboard.summary.query>>;

export const READINESS_KEY = ['readiness', 'get'] as const;
export const SETTINGS_KEY = ['settings', 'get'] as const;
export const SUMMARY_KEY = ['dashboard', 'summary'] as const;

export const fetchReadiness = (): Promise<Readiness> => trpc.readiness.get.query();
export const fetchSettings = (): Promise<Settings> => trpc.settings.get.query();
export const fetchSummary = (): Promise<DashboardSummary> => trpc.dashboard.summary.query();
