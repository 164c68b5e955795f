import { trpc } from '../../api/trpc';

/** The connection as the API reports it (`connection.status`). */
export type ConnectionStatus = Awaited<ReturnType<typeof trpc.connection.status.query>>;

/** Query key of `connection.status`, shared by this screen and the dashboard. */
export const CONNECTION_STATUS_KEY = ['connection', 'status'] as const;

export function fetchConnectionStatus(): Promise<ConnectionStatus> {
  return trpc.connection.status.query();
}
