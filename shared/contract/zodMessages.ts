import type { z } from 'zod';

type RawIssue = Parameters<z.core.$ZodErrorMap>[0];

/**
 * Chinese messages for the checks zod runs itself, worded for hub staff (zod's own zh-CN text reads
 * 「数值过大：期望 number <=100」 or 「无效输入：期望 string，实际接收 undefined」). A message written in a schema
 * (`.min(2, '组织名称至少 2 个字')`) still wins. The field's name is added by the form or `issuesMessage`.
 */
export function friendlyZodMessage(issue: RawIssue): string {
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.input === undefined || issue.input === null || issue.input === '') return '必填';
      if (issue.expected === 'int' && typeof issue.input === 'number' && Number.isFinite(issue.input)) return '应为整数';
      if (issue.expected === 'number' || issue.expected === 'int') return '请填写数字';
      if (issue.expected === 'boolean') return '请选择是或否';
      if (issue.expected === 'array') return '请选择';
      if (issue.expected === 'string') return '请填写文字';
      return '格式不正确';
    }
    case 'invalid_value':
      return issue.values.length === 1 ? '取值不正确' : '请从列表中选择';
    case 'too_big': {
      const max = String(issue.maximum);
      if (issue.origin === 'string') return `最多 ${max} 个字`;
      if (issue.origin === 'array' || issue.origin === 'set') return `最多 ${max} 项`;
      return issue.inclusive ? `不能大于 ${max}` : `应小于 ${max}`;
    }
    case 'too_small': {
      const min = String(issue.minimum);
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? '必填' : `至少 ${min} 个字`;
      if (issue.origin === 'array' || issue.origin === 'set') return Number(issue.minimum) <= 1 ? '至少选择 1 项' : `至少 ${min} 项`;
      return issue.inclusive ? `不能小于 ${min}` : `应大于 ${min}`;
    }
    case 'invalid_format':
      if (issue.format === 'email') return '电子邮箱格式不正确';
      return '格式不正确';
    case 'not_multiple_of':
      return Number(issue.divisor) === 1 ? '应为整数' : `应为 ${String(issue.divisor)} 的倍数`;
    case 'unrecognized_keys':
      return '含有无法识别的内容';
    case 'invalid_union':
      return '格式不正确';
    default:
      return '格式不正确';
  }
}
