import os from 'node:os';

export interface MachineInfo {
  date: string;
  nproc: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  platform: string;
}

/** What BENCHMARKS.md prints about the machine the figures come from. */
export function machineInfo(now: Date = new Date()): MachineInfo {
  const cpus = os.cpus();
  return {
    date: now.toISOString(),
    nproc: os.availableParallelism?.() ?? cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
  };
}
