import type { Command } from '../command';
import { clustersAdd, clustersImport, clustersList, clustersRemove } from './clusters';

export const COMMANDS: readonly Command[] = [clustersAdd, clustersList, clustersRemove, clustersImport];
