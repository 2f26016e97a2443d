import type { CliCommand } from '../cli-command.js';
import { accuracyCommand } from './accuracy.js';
import { actualsCommand } from './actuals.js';
import { apiCommand } from './api.js';
import { backupCommand } from './backup.js';
import { doctorCommand } from './doctor.js';
import { exportCommand } from './export.js';
import { importCommand } from './import.js';
import { migrateCommand } from './migrate.js';
import { migrateStoreCommand } from './migrate-store.js';
import { pruneCommand } from './prune.js';
import { restoreCommand } from './restore.js';
import { snapshotsCommand } from './snapshots.js';
import { startCommand } from './start.js';
import { workerCliCommand } from './worker.js';

/** Every subcommand of `skucast`, in --help order. Add new ones at the end. */
export const commands: CliCommand[] = [
  startCommand,
  apiCommand,
  workerCliCommand,
  migrateCommand,
  migrateStoreCommand,
  importCommand,
  exportCommand,
  backupCommand,
  restoreCommand,
  actualsCommand,
  accuracyCommand,
  doctorCommand,
  snapshotsCommand,
  pruneCommand,
];
