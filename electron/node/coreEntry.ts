// Entry of the core process (built to out/main/core.js; Electron starts it with utilityProcess.fork, the tests with
// child_process.fork). Its one argument is the JSON of CoreProcessOptions.
import { processChannel, serveCore, type CoreProcessOptions } from './coreProcess';

const options = JSON.parse(process.argv[2] ?? '{}') as CoreProcessOptions;
serveCore(processChannel(), options, () => process.exit(0));
