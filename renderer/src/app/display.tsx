import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';

/**
 * 系统管理 → 显示 → 字号 (issue 18, for older staff): the antd token fontSize for the whole app, the grids
 * following it. Kept per user on this PC (localStorage `incubase.display.fontSize.<username>`); the login screen
 * uses the size last chosen on this PC.
 */
export const FONT_SIZES = [
  { value: 14, label: '标准' },
  { value: 16, label: '较大' },
  { value: 18, label: '特大' },
] as const;
export type FontSize = (typeof FONT_SIZES)[number]['value'];

const PC_KEY = 'incubase.display.fontSize';
const userKey = (username: string) => `${PC_KEY}.${username}`;

function read(key: string): FontSize | null {
  try {
    const v = Number(localStorage.getItem(key));
    return FONT_SIZES.some((s) => s.value === v) ? (v as FontSize) : null;
  } catch {
    return null;
  }
}

interface Display {
  fontSize: FontSize;
  setFontSize(size: FontSize): void;
  /** Called when a user is known (after login): that user's own size on this PC. */
  selectUser(username: string | null): void;
}

const DisplayContext = createContext<Display | null>(null);

export function useDisplay(): Display {
  const d = useContext(DisplayContext);
  if (!d) throw new Error('useDisplay outside DisplayProvider');
  return d;
}

export function DisplayProvider({ children }: { children: React.ReactNode }) {
  const [fontSize, setSize] = useState<FontSize>(() => read(PC_KEY) ?? 14);
  const [user, setUser] = useState<string | null>(null);
  const setFontSize = useCallback(
    (size: FontSize) => {
      setSize(size);
      try {
        localStorage.setItem(PC_KEY, String(size));
        if (user) localStorage.setItem(userKey(user), String(size));
      } catch {
        // a browser without storage keeps the size for this window only
      }
    },
    [user],
  );
  const selectUser = useCallback((username: string | null) => {
    setUser(username);
    if (username) {
      const own = read(userKey(username));
      if (own) setSize(own);
    }
  }, []);
  useEffect(() => {
    document.documentElement.style.setProperty('--app-font-size', `${fontSize}px`);
    document.documentElement.dataset.fontSize = String(fontSize);
  }, [fontSize]);
  const value = useMemo(() => ({ fontSize, setFontSize, selectUser }), [fontSize, setFontSize, selectUser]);
  return (
    <DisplayContext.Provider value={value}>
      <ConfigProvider
        locale={zhCN}
        theme={{ token: { colorPrimary: '#1677ff', borderRadius: 6, fontSize, fontFamily: '"Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif' } }}
      >
        {children}
      </ConfigProvider>
    </DisplayContext.Provider>
  );
}

/** Remembers whose size applies while a user is logged in. */
export function DisplayUser({ username }: { username: string }) {
  const { selectUser } = useDisplay();
  useEffect(() => {
    selectUser(username);
    return () => selectUser(null);
  }, [username, selectUser]);
  return null;
}
