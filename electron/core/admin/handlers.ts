import type { adminContract } from '@shared/contract/admin';
import { AppError, fail } from '@shared/errors';
import type { HandlersFor } from '../api/handler';
import { APP_VERSION } from '../version';
import { LATEST_SCHEMA_VERSION } from '../db/migrations';
import { insertHub, readHub, requireHub, updateHubAndSettings } from './hubService';
import {
  changeOwnPassword,
  checkOwnPassword,
  createUser,
  insertUser,
  listUsers,
  login,
  resetPassword,
  updateUser,
} from './users';
import { queryAudit } from './auditQuery';
import { listDictionary, saveDictionaryEntry } from './dictionaries';
import { isDemoDatabase } from '../seed';
import { buildDiagnostics } from './diagnostics';

export const adminHandlers: HandlersFor<typeof adminContract> = {
  'system.status': async (ctx) => {
    const core = ctx.core;
    if (core.recovery) {
      return {
        initialized: false,
        hub: null,
        version: APP_VERSION,
        schemaVersion: 0,
        demo: false,
        recovery: { reason: core.recovery.reason, backups: core.backups.goodBackups() },
        readOnly: core.readOnly,
        notices: core.notices,
      };
    }
    const hub = await readHub(ctx.db);
    return {
      initialized: !!hub,
      hub,
      version: APP_VERSION,
      schemaVersion: LATEST_SCHEMA_VERSION,
      demo: await isDemoDatabase(ctx.db),
      recovery: null,
      readOnly: core.readOnly,
      notices: core.notices,
    };
  },

  'system.setup': async (ctx, input) => {
    await ctx.write(async (trx) => {
      if (await readHub(trx)) throw fail.rule('系统已完成首次设置');
      await insertHub(trx, { name: input.hubName, regionCode: input.regionCode, level: input.level }, ctx.now());
      const admin = await insertUser(
        trx,
        { username: input.adminUsername, displayName: input.adminDisplayName, roles: ['admin'], password: input.adminPassword },
        ctx.now(),
      );
      await ctx.audit(trx, {
        entity: 'hub',
        summary: `首次设置：基地「${input.hubName}」，管理员「${admin.username}」`,
        after: { hubName: input.hubName, regionCode: input.regionCode, level: input.level, admin: admin.username },
      });
    });
    const hub = await readHub(ctx.db);
    if (hub) ctx.core.backups.markHubPresent(hub.hubId);
    await ctx.core.backups.create('setup');
    return { ok: true as const };
  },

  'system.diagnostics': (ctx) => buildDiagnostics(ctx),

  'system.recover': async (ctx, input) => {
    if (!ctx.core.recovery) throw fail.rule('数据库状态正常，无需恢复；如需恢复备份请在系统管理中操作');
    await ctx.core.backups.restore(input.fileName);
    if (ctx.core.recovery) throw fail.rule(`恢复后数据库仍无法打开：${ctx.core.recovery.reason}`);
    await ctx.core.write(async (trx) =>
      ctx.core.audit(trx, null, 'system.recover', { entity: 'backup', entityId: input.fileName, summary: `启动检查失败后从备份「${input.fileName}」恢复` }),
    );
    return { ok: true as const };
  },

  'auth.login': async (ctx, input) => {
    const user = await login(ctx, input.username, input.password);
    ctx.core.startSession(user.id);
    return { user };
  },

  'auth.logout': async (ctx) => {
    ctx.core.sessions.end(ctx.token);
    return { ok: true as const };
  },

  'auth.me': async (ctx) => ({ user: ctx.requireUser(), hub: await requireHub(ctx.db), settings: await ctx.core.settings() }),

  'auth.unlock': async (ctx, input) => {
    try {
      await checkOwnPassword(ctx, input.password);
    } catch {
      throw new AppError('VALIDATION', '密码错误，未能解锁');
    }
    if (ctx.token) ctx.core.sessions.unlock(ctx.token, ctx.now().getTime());
    return { ok: true as const };
  },

  'auth.changePassword': async (ctx, input) => {
    await changeOwnPassword(ctx, input.oldPassword, input.newPassword);
    return { ok: true as const };
  },

  'users.list': (ctx) => listUsers(ctx),
  'users.create': (ctx, input) => createUser(ctx, input),
  'users.update': async (ctx, input) => {
    if (input.id === ctx.requireUser().id && input.disabled) throw fail.rule('不能停用自己的账户');
    await updateUser(ctx, input);
    return { ok: true as const };
  },
  'users.resetPassword': async (ctx, input) => {
    await resetPassword(ctx, input.id, input.newPassword);
    return { ok: true as const };
  },

  'settings.get': async (ctx) => ({ hub: await requireHub(ctx.db), settings: await ctx.core.settings() }),
  'settings.update': async (ctx, input) => {
    await updateHubAndSettings(ctx, input);
    return { ok: true as const };
  },

  'audit.list': (ctx, input) => queryAudit(ctx.db, input),

  'backups.list': (ctx) => ctx.core.backups.list(),
  'backups.create': async (ctx) => {
    const b = await ctx.core.backups.create('manual');
    await ctx.write((trx) => ctx.audit(trx, { entity: 'backup', entityId: b.fileName, summary: `手动备份「${b.fileName}」` }));
    return b;
  },
  'backups.restore': async (ctx, input) => {
    // A safety copy of the current state first, so the restore itself can be undone from the list.
    const pre = await ctx.core.backups.create('pre-restore');
    const { keptAs } = await ctx.core.backups.restore(input.fileName, pre);
    const user = ctx.user;
    await ctx.core.write(async (trx) =>
      ctx.core.audit(trx, user, 'backups.restore', {
        entity: 'backup',
        entityId: input.fileName,
        summary: `从备份「${input.fileName}」恢复数据库，原文件保留为「${keptAs}」`,
      }),
    );
    return { ok: true as const, keptAs };
  },

  'dict.list': (ctx, input) => listDictionary(ctx.db, input.kind),
  'dict.save': (ctx, input) => saveDictionaryEntry(ctx, input),
};
