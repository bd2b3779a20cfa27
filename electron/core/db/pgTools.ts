import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * PostgreSQL's command-line tools (initdb, pg_ctl, pg_dump, pg_restore…): `$PG_BIN`, else Debian's newest
 * `/usr/lib/postgresql/<version>/bin`, else the PATH. pg_dump must be at least the server's version: Debian's
 * versioned folder is preferred over the PATH wrapper for that reason.
 */
export function pgBinDir(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const base = '/usr/lib/postgresql';
  if (existsSync(base)) {
    const versions = readdirSync(base)
      .filter((v) => existsSync(join(base, v, 'bin', 'initdb')) || existsSync(join(base, v, 'bin', 'pg_dump')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions.length) return join(base, versions[0], 'bin');
  }
  return '';
}

export function pgToolPath(name: string): string {
  const dir = pgBinDir();
  return dir && existsSync(join(dir, name)) ? join(dir, name) : name;
}

/**
 * Runs a tool without blocking the event loop (a dump of a large hub takes a while; calls keep being served).
 * Resolves with its stderr when it exits 0, rejects with a Chinese sentence carrying PostgreSQL's own text otherwise.
 */
export function runPgTool(name: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(pgToolPath(name), args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.once('error', (e) => reject(new Error(`无法运行 ${name}(请安装 PostgreSQL 客户端工具，或用环境变量 PG_BIN 指定其目录)：${e.message}`)));
    child.once('close', (code, signal) => {
      if (code === 0) resolve(stderr);
      else reject(new Error(`${name} 失败(${code ?? signal})：${stderr.trim()}`));
    });
  });
}
