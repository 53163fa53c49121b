import type { Command } from '../command';
import { clustersAdd, clustersImport, clustersList, clustersRemove } from './clusters';
import { statusCommand } from './status';
import { syncCommand } from './sync';

export const COMMANDS: readonly Command[] = [clustersAdd, clustersList, clustersRemove, clustersImport, syncCommand, statusCommand];
