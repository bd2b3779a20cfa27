import { z } from 'zod';
import { defineCall, zEmpty, zId, zOk } from './define';
import { ADMIN_ONLY, ANY_ROLE } from '../roles';

/** 单机 (one PC), 办公室服务器 (this PC serves the others), 连接到服务器 (this PC uses another's data). */
export const WORK_MODES = ['standalone', 'server', 'client'] as const;
export type WorkMode = (typeof WORK_MODES)[number];
export const WORK_MODE_LABELS: Record<WorkMode, string> = { standalone: '单机', server: '办公室服务器', client: '连接到服务器' };

const zServerAddress = z
  .string()
  .trim()
  .min(1, '请填写服务器地址')
  .max(200)
  .regex(/^(https:\/\/)?[A-Za-z0-9.\-[\]:]+(:\d{1,5})?\/?$/, '服务器地址应为 https://名称或IP:端口，例如 https://192.168.1.20:5443');
const zFingerprint = z.string().regex(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/, '证书指纹格式不对');

export const zWorkModeConfig = z.object({
  mode: z.enum(WORK_MODES),
  /** 办公室服务器: the port it listens on. */
  serverPort: z.number().int().min(1).max(65535),
  /** 连接到服务器: the pinned server. */
  client: z.object({ url: z.string(), fingerprint: zFingerprint, pinnedAt: z.string() }).nullable(),
});
export type WorkModeConfig = z.infer<typeof zWorkModeConfig>;

const zSessionRow = z.object({
  id: zId,
  username: z.string(),
  displayName: z.string(),
  address: z.string(),
  program: z.string(),
  since: z.string(),
  lastActivity: z.string(),
  locked: z.boolean(),
  /** The admin's own session (ending it logs the admin out). */
  current: z.boolean(),
});

/** The office server: how this PC works (单机 / 服务器 / 客户端), who is connected. */
export const officeContract = {
  'office.workMode.get': defineCall({
    title: '查看工作方式',
    access: ANY_ROLE,
    write: false,
    input: zEmpty,
    output: z.object({
      config: zWorkModeConfig,
      /** When this program is serving right now: where clients connect and the fingerprint to compare. */
      serving: z.object({ urls: z.array(z.string()), fingerprint: z.string(), port: z.number() }).nullable(),
      /** How the page reached its data: the desktop window, or a browser/client over the network. */
      platformHint: z.string(),
    }),
  }),
  'office.workMode.probe': defineCall({
    title: '检查服务器',
    access: ADMIN_ONLY,
    write: false,
    input: z.object({ address: zServerAddress }),
    output: z.object({ url: z.string(), fingerprint: z.string(), version: z.string(), sameVersion: z.boolean() }),
  }),
  'office.workMode.set': defineCall({
    title: '设置工作方式',
    access: ADMIN_ONLY,
    write: true,
    localOnly: true,
    input: z.discriminatedUnion('mode', [
      z.object({ mode: z.literal('standalone') }),
      z.object({ mode: z.literal('server'), serverPort: z.number().int().min(1024, '端口应在 1024–65535 之间').max(65535, '端口应在 1024–65535 之间') }),
      z.object({ mode: z.literal('client'), address: zServerAddress, fingerprint: zFingerprint }),
    ]),
    output: z.object({ config: zWorkModeConfig, restartNeeded: z.boolean() }),
  }),
  'office.sessions.list': defineCall({ title: '在线用户', access: ADMIN_ONLY, write: false, input: zEmpty, output: z.array(zSessionRow) }),
  'office.sessions.end': defineCall({ title: '结束会话', irreversible: { question: '确定结束这个会话？', effect: '该用户在那台电脑上立即退出登录，未保存的填写会丢失，需要重新登录。', okText: '结束会话' }, access: ADMIN_ONLY, write: true, input: z.object({ id: zId }), output: zOk }),
};
