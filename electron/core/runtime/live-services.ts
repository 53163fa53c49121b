// What a live core (one that keeps connections) offers the cluster settings besides the pool and the
// syncer: options to open a throwaway connection for testing an unsaved configuration, the host-key and
// secret brokers the pages answer, and a hook to re-plan polling when clusters change.
import type { ConnectionOptions } from '../ssh/connection';
import type { HostKeyBroker } from './host-key-broker';
import type { SecretBroker } from './secret-broker';

export interface LiveServices {
  connectionOptions: ConnectionOptions;
  hostKeys: HostKeyBroker;
  /** Password / passphrase questions for the pages (open even when another SecretPrompt is in use: then empty). */
  secretPrompts: SecretBroker;
  /** Clusters were added, changed or removed: restart polling with the stored list. */
  clustersChanged(): void;
}
