import { useEffect } from 'react';
import { useNavigate } from 'react-router-dom';
import { NAV_ITEMS } from './nav';

/**
 * Keyboard-first work (issue 18): the app's shortcuts, listed in 系统管理 → 显示 and in the help (F1 or ?).
 * Screens mark their elements with `data-shortcut="search"` (the list's search box) and `data-shortcut="new"`
 * (录入凭证, 新增学员, 新建组织…); the topmost open dialog's primary button is 保存/确定.
 */
export const SHORTCUTS: { keys: string; what: string }[] = [
  { keys: 'Ctrl+K 或 /', what: '跳到本页的搜索框(组织、学员、凭证…)' },
  { keys: 'Alt+N', what: '本页的新增/录入(录入凭证、新增学员、新建组织…)' },
  { keys: 'Ctrl+Enter', what: '保存当前对话框(录入凭证、填写表单时)' },
  { keys: 'Esc', what: '关闭对话框(已填写的内容会先询问)' },
  { keys: 'Tab / Shift+Tab', what: '在输入框、按钮、表格之间移动(当前位置有蓝色框)' },
  { keys: '↑ ↓ Enter', what: '签到：在候选人中移动并确认；表格：在行间移动' },
  { keys: `Alt+1 … Alt+${NAV_ITEMS.length}`, what: `打开导航：${NAV_ITEMS.map((n, i) => `${i + 1} ${n.label}`).join('、')}` },
  { keys: 'F1 或 ?', what: '显示本快捷键列表' },
];

export const OPEN_HELP_EVENT = 'incubase:shortcuts-help';

const editable = (el: Element | null) =>
  !!el && (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement || (el as HTMLElement).isContentEditable);

const visible = (el: Element) => (el as HTMLElement).offsetParent !== null;

/** The topmost open dialog or drawer, if any. */
function topDialog(): Element | null {
  const open = [...document.querySelectorAll('.ant-modal-wrap, .ant-drawer-content-wrapper')].filter(visible);
  return open.at(-1) ?? null;
}

export function useShortcuts() {
  const navigate = useNavigate();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const inField = editable(document.activeElement);
      const content = document.querySelector('.ant-layout-content') ?? document.body;
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') {
        const box = [...content.querySelectorAll('[data-shortcut="search"] input, input[data-shortcut="search"], .ant-input-search input')].find(visible) as HTMLInputElement | undefined;
        if (box) {
          e.preventDefault();
          box.focus();
          box.select();
        }
        return;
      }
      if (e.key === '/' && !inField && !topDialog()) {
        const box = [...content.querySelectorAll('[data-shortcut="search"] input, input[data-shortcut="search"], .ant-input-search input')].find(visible) as HTMLInputElement | undefined;
        if (box) {
          e.preventDefault();
          box.focus();
        }
        return;
      }
      if (e.altKey && !e.ctrlKey && e.key.toLowerCase() === 'n' && !topDialog()) {
        const btn = [...content.querySelectorAll('[data-shortcut="new"]')].find(visible) as HTMLElement | undefined;
        if (btn) {
          e.preventDefault();
          btn.click();
        }
        return;
      }
      if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') {
        const dialog = topDialog();
        const ok = dialog && ([...dialog.querySelectorAll('.ant-modal-footer .ant-btn-primary, .ant-drawer-footer .ant-btn-primary, .ant-drawer-extra .ant-btn-primary')].find(visible) as HTMLElement | undefined);
        if (ok) {
          e.preventDefault();
          ok.click();
        }
        return;
      }
      if (e.altKey && /^[1-9]$/.test(e.key)) {
        const item = NAV_ITEMS[Number(e.key) - 1];
        if (item) {
          e.preventDefault();
          navigate(`/${item.key}`);
        }
        return;
      }
      if (e.key === 'F1' || (e.key === '?' && !inField)) {
        e.preventDefault();
        window.dispatchEvent(new Event(OPEN_HELP_EVENT));
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [navigate]);
}
