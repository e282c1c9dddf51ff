// The real file system behind serverPath.ts's FileProbe.

import * as fs from 'node:fs';
import type { FileProbe } from './serverPath';

export const nodeFileProbe: FileProbe = {
  isExecutableFile(file: string): boolean {
    try {
      if (!fs.statSync(file).isFile()) {
        return false;
      }
      if (process.platform !== 'win32') {
        fs.accessSync(file, fs.constants.X_OK);
      }
      return true;
    } catch {
      return false;
    }
  },
};
