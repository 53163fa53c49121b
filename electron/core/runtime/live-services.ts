// What a live core (one that keeps connections) offers the cluster settings besides the pool and the
// syncer: options to open a throwaway connection for testing an unsaved configuration, the host-key
// broker the pages answer, and a hook to re-plan polling when clusters change.
import type { ConnectionOptions } from '../ssh/connection';
import type { HostKeyBroker } from './host-key-broker';

export interface LiveServices {
  connectionOptions: ConnectionOptions;
  hostKeys: HostKeyBroker;
  /** Clusters were added, changed or removed: restart polling with the stored list. */
  clustersChanged(): void;
}
