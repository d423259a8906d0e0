import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Runs one of the system's own tools (mount, umount: part of the machine, not of the project's dependencies). */
const system = (command: string, args: string[]) => execFileSync(command, args, { stdio: 'pipe' });

/**
 * A real full disk for the tests: a tmpfs of a few megabytes that the test
 * mounts (root only) and fills with a file until the kernel says ENOSPC.
 * Null when mounting works here, else why not (the test then says so and is skipped).
 */
export function cannotMountSmallDisk(): string | null {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drafts-mount-probe-'));
  try {
    system('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir]);
    system('umount', [dir]);
    return null;
  } catch (err) {
    return `cannot mount a tmpfs here (${(err as Error).message.split('\n')[0]}): the disk-full tests need root`;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export type SmallDisk = { dir: string; unmount(): void };

/** Mounts a tmpfs of `megabytes` on a fresh directory; `unmount` also removes the directory. */
export function mountSmallDisk(megabytes: number): SmallDisk {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drafts-disk-full-'));
  system('mount', ['-t', 'tmpfs', '-o', `size=${megabytes}m`, 'tmpfs', dir]);
  return {
    dir,
    unmount() {
      try {
        system('umount', [dir]);
      } catch {
        // Still busy (a process that has not let go yet): detached now, freed when it does.
        system('umount', ['-l', dir]);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Writes a file until the filesystem is full: big chunks, then small ones for what is left between them. */
export function fillDisk(file: string): number {
  const fd = fs.openSync(file, 'w');
  let written = 0;
  try {
    for (const size of [256 * 1024, 4096, 512, 1]) {
      const chunk = Buffer.alloc(size, 1);
      for (;;) {
        try {
          written += fs.writeSync(fd, chunk);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
          break;
        }
      }
    }
  } finally {
    fs.closeSync(fd);
  }
  return written;
}
