/**
 * One process at a time on a data folder: s3rver and dynalite keep their files there, and a
 * second process opening them fails deep inside LevelDB ("Database is closed"). The holder
 * writes who it is (pid, command, the URL it serves) into `<dataDir>/lock.json`, so another
 * process can say what holds the folder, or talk to it instead (`pressrun publish`).
 */
import { open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

export interface LockHolder {
  pid: number;
  /** What runs, as the user typed it: "npm start", "pressrun publish". */
  command: string;
  /** The site the holder serves, when it serves one. */
  url?: string;
  since: string;
}

export class DataDirInUse extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    super(
      `${dataDir} is in use by \`${holder.command}\` (pid ${holder.pid}${holder.url ? `, serving ${holder.url}` : ''}, since ${holder.since}). ` +
        `Stop that process first, or set PRESSRUN_DATA_DIR to another folder for this one` +
        (holder.url ? `; \`npx pressrun publish\` goes through the running server by itself.` : '.') +
        ` (If no such process runs, delete ${lockFile(dataDir)}.)`,
    );
    this.name = 'DataDirInUse';
  }
}

const lockFile = (dataDir: string) => join(dataDir, 'lock.json');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The live process holding the folder, if any; a lock left by a process that died is removed. */
export async function dataDirHolder(dataDir: string): Promise<LockHolder | undefined> {
  let holder: LockHolder;
  try {
    holder = JSON.parse(await readFile(lockFile(dataDir), 'utf8')) as LockHolder;
  } catch {
    return undefined;
  }
  if (alive(holder.pid)) return holder;
  await rm(lockFile(dataDir), { force: true });
  return undefined;
}

/** Takes the folder for this process, or throws DataDirInUse naming who holds it. */
export async function lockDataDir(dataDir: string, who: Pick<LockHolder, 'command' | 'url'>): Promise<{ release(): Promise<void> }> {
  const holder: LockHolder = { pid: process.pid, ...who, since: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const file = await open(lockFile(dataDir), 'wx');
      await file.writeFile(`${JSON.stringify(holder, null, 2)}\n`);
      await file.close();
      return { release: () => rm(lockFile(dataDir), { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const current = await dataDirHolder(dataDir);
      if (current) throw new DataDirInUse(dataDir, current);
    }
  }
  throw new Error(`Could not take ${lockFile(dataDir)}; remove it if no Pressrun process runs`);
}
