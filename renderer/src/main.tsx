import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App as AntApp } from 'antd';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { HashRouter } from 'react-router-dom';
import { Root } from './app/Root';
import { DisplayProvider } from './app/display';
import './app/global.css';

dayjs.locale('zh-cn');

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <DisplayProvider>
      <AntApp>
        <HashRouter>
          <Root />
        </HashRouter>
      </AntApp>
    </DisplayProvider>
  </StrictMode>,
);
