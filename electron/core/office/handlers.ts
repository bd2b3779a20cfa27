import type { officeContract } from '@shared/contract/office';
import { fail } from '@shared/errors';
import { sameFingerprint, changedCertificateMessage } from '@shared/server/fingerprint';
import type { HandlersFor } from '../api/handler';
import { APP_VERSION } from '../version';
import { getServerInfo, probeServer, readWorkMode, writeWorkMode } from './workMode';
import { endSession, listSessions } from './onlineUsers';

export const officeHandlers: HandlersFor<typeof officeContract> = {
  'office.workMode.get': (ctx) => {
    const { certPem: _pem, ...config } = readWorkMode(ctx.core.dataDir);
    return { config, serving: getServerInfo(ctx.core), platformHint: ctx.token ? 'session' : 'local' };
  },
  'office.workMode.probe': async (_ctx, input) => {
    const { url, fingerprint, version, sameVersion } = await probeServer(input.address, APP_VERSION);
    return { url, fingerprint, version, sameVersion };
  },
  'office.workMode.set': async (ctx, input) => {
    const before = readWorkMode(ctx.core.dataDir);
    let next = { ...before };
    if (input.mode === 'standalone') next = { ...before, mode: 'standalone' };
    else if (input.mode === 'server') next = { ...before, mode: 'server', serverPort: input.serverPort };
    else {
      // Pin what the user compared: the server must still show that certificate now.
      const probe = await probeServer(input.address, APP_VERSION);
      if (!sameFingerprint(probe.fingerprint, input.fingerprint)) throw fail.rule(changedCertificateMessage(new URL(probe.url).host));
      if (!probe.sameVersion) throw fail.rule(`服务器的程序版本是 ${probe.version}，本机是 ${APP_VERSION}：请先安装与服务器相同的版本`);
      next = { ...before, mode: 'client', client: { url: probe.url, fingerprint: probe.fingerprint, pinnedAt: ctx.now().toISOString() }, certPem: probe.certPem };
    }
    await ctx.write(async (trx) => {
      await ctx.audit(trx, {
        entity: 'work_mode',
        summary: `工作方式改为「${{ standalone: '单机', server: '办公室服务器', client: '连接到服务器' }[next.mode]}」${next.mode === 'client' ? `：${next.client!.url}` : next.mode === 'server' ? `(端口 ${next.serverPort})` : ''}`,
        before: { mode: before.mode, serverPort: before.serverPort, client: before.client },
        after: { mode: next.mode, serverPort: next.serverPort, client: next.client },
      });
      writeWorkMode(ctx.core.dataDir, next);
    });
    const { certPem: _pem, ...config } = next;
    return { config, restartNeeded: before.mode !== next.mode || before.serverPort !== next.serverPort || before.client?.url !== next.client?.url };
  },
  'office.sessions.list': (ctx) => listSessions(ctx),
  'office.sessions.end': (ctx, input) => endSession(ctx, input.id),
};
